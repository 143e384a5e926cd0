/** The Engine API version this client speaks natively (the pinned swagger's version). */
export const DEFAULT_API_VERSION = '1.56';

const versionPattern = /^(\d{1,4})\.(\d{1,4})$/;

/** True for a well-formed `MAJOR.MINOR` API version string. */
export function isApiVersion(v: string): boolean {
  return versionPattern.test(v);
}

/**
 * Compares two `MAJOR.MINOR` versions numerically (so 1.9 < 1.10).
 * Returns a negative number, zero or a positive number, like a sort comparator.
 */
export function compareApiVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  return pa[0] - pb[0] || pa[1] - pb[1];
}

/**
 * The version to use with a server that announced `serverVersion` (from `/_ping`'s `API-Version`
 * header): the lower of the two, or the client's own when the server announced nothing usable.
 */
export function negotiateApiVersion(
  serverVersion: string | undefined,
  clientVersion: string,
): string {
  if (serverVersion === undefined || !isApiVersion(serverVersion)) return clientVersion;
  return compareApiVersions(serverVersion, clientVersion) < 0 ? serverVersion : clientVersion;
}

function parse(v: string): [number, number] {
  const m = versionPattern.exec(v);
  if (!m) throw new Error(`invalid API version: ${JSON.stringify(v)}`);
  return [Number(m[1]), Number(m[2])];
}
