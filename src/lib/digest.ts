import { createHash } from 'node:crypto';

/** An OCI digest string: `sha256:<64 hex>`. */
export type Digest = `sha256:${string}`;

const digestPattern = /^sha256:[0-9a-f]{64}$/;

/** True when `s` is a well-formed sha256 digest. Only sha256 is accepted. */
export function isDigest(s: string): s is Digest {
  return digestPattern.test(s);
}

/** The sha256 digest of a buffer. */
export function digestOf(data: string | Uint8Array): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** The hex part of a digest. */
export function digestHex(d: Digest): string {
  return d.slice('sha256:'.length);
}
