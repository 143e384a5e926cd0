import { randomBytes } from 'node:crypto';

/** A new 64-hex-digit object id, as Docker uses for containers and exec sessions. */
export function newId(): string {
  return randomBytes(32).toString('hex');
}

/** The 12-character short form Docker prints. */
export function shortId(id: string): string {
  return id.slice(0, 12);
}

const fullIdPattern = /^[0-9a-f]{64}$/;
/** True for a full 64-hex-digit id. */
export function isFullId(s: string): boolean {
  return fullIdPattern.test(s);
}
