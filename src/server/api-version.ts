import { invalidParameter } from '../errors/index.js';

/** The newest API version Berth serves: the version of the pinned spec. */
export const maxApiVersion = '1.56';
/** The oldest API version Berth accepts, as Docker 25+. */
export const minApiVersion = '1.24';

/** Compares two `major.minor` versions numerically. */
export function compareVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am !== bm ? am - bm : an - bn;
}

const prefix = /^\/v(\d+\.\d+)(\/.*)$/;

/**
 * Splits `/v1.45/containers/json` into its version and path; a path without a prefix speaks the
 * newest version. Versions outside [min, max] get Docker's messages.
 */
export function splitVersion(path: string): { version: string; path: string } {
  const m = prefix.exec(path);
  if (!m) return { version: maxApiVersion, path };
  const version = m[1] as string;
  if (compareVersions(version, minApiVersion) < 0) {
    throw invalidParameter(
      `client version ${version} is too old. Minimum supported API version is ${minApiVersion}, please upgrade your client to a newer version`,
    );
  }
  if (compareVersions(version, maxApiVersion) > 0) {
    throw invalidParameter(
      `client version ${version} is too new. Maximum supported API version is ${maxApiVersion}`,
    );
  }
  return { version, path: m[2] as string };
}
