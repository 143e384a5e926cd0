import { invalidParameter } from '../errors/index.js';

/** Registry credentials, as the Engine API's AuthConfig carries them. */
export interface AuthConfig {
  username?: string;
  password?: string;
  /** An OAuth refresh token from a previous login (sent to the token server). */
  identitytoken?: string;
  /** A bearer token to use as is. */
  registrytoken?: string;
  serveraddress?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Keeps the known string fields of an AuthConfig-shaped object; anything else is dropped. */
export function authConfigOf(v: unknown): AuthConfig {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw invalidParameter('invalid registry credentials: not a JSON object');
  const o = v as Record<string, unknown>;
  const out: AuthConfig = {};
  for (const k of [
    'username',
    'password',
    'identitytoken',
    'registrytoken',
    'serveraddress',
  ] as const) {
    const s = str(o[k]) ?? str(o[k.charAt(0).toUpperCase() + k.slice(1)]);
    if (s !== undefined) out[k] = s;
  }
  if (out.username === undefined && typeof o['auth'] === 'string' && o['auth'] !== '') {
    // `auth`: base64 of user:password, as in ~/.docker/config.json.
    const plain = Buffer.from(o['auth'], 'base64').toString('utf8');
    const colon = plain.indexOf(':');
    if (colon > 0) {
      out.username = plain.slice(0, colon);
      out.password = plain.slice(colon + 1);
    }
  }
  return out;
}

/**
 * Decodes the `X-Registry-Auth` header: base64url (standard base64 accepted too) of a JSON
 * AuthConfig. An absent or empty header, or `{}`, means anonymous. Malformed → InvalidParameter.
 */
export function decodeRegistryAuth(header: string | string[] | undefined): AuthConfig | undefined {
  const h = Array.isArray(header) ? header[0] : header;
  if (h === undefined || h.trim() === '') return undefined;
  if (h.length > 64 * 1024) throw invalidParameter('X-Registry-Auth header is too large');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(h.trim(), 'base64url').toString('utf8'));
  } catch {
    throw invalidParameter('invalid X-Registry-Auth header: not base64url-encoded JSON');
  }
  const a = authConfigOf(json);
  return Object.keys(a).length === 0 ? undefined : a;
}
