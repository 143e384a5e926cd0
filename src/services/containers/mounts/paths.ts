import { posix } from 'node:path';
import { invalidParameter } from '../../../errors/index.js';

/** A clean absolute path (`/a/b`), or undefined for a relative one. */
export function cleanAbsolute(p: string): string | undefined {
  if (!p.startsWith('/')) return undefined;
  return posix.normalize(p).replace(/(.)\/+$/, '$1');
}

/** Refuses a NUL, which no path may hold (mount(2) would cut the string short). */
export function checkNoNul(what: string, p: string): void {
  if (p.includes('\0')) throw invalidParameter(`invalid ${what}: contains a NUL byte`);
}

/** Docker's refusal of a mount over the container's root. */
export function checkNotRoot(dst: string): void {
  if (dst === '/') throw invalidParameter("invalid specification: destination can't be '/'");
}
