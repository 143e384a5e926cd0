import { invalidParameter } from '../errors/index.js';

/**
 * Guards for values that end up in config.json. The spec builder is fed from API input, so
 * every path, string and number is checked before runc can misinterpret it.
 */

/** Rejects strings with NUL bytes, which the kernel would silently truncate at. */
export function requireNoNul(what: string, value: string): void {
  if (value.includes('\0')) throw invalidParameter(`${what} must not contain NUL bytes`);
}

/** Requires an absolute, NUL-free path without `..` components. */
export function requireAbsolutePath(what: string, value: string): void {
  requireNoNul(what, value);
  if (!value.startsWith('/')) throw invalidParameter(`${what} must be an absolute path: ${value}`);
  if (value.split('/').includes('..')) {
    throw invalidParameter(`${what} must not contain "..": ${value}`);
  }
}

/** Requires a safe integer in [min, max]. */
export function requireInt(what: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalidParameter(`${what} must be an integer between ${min} and ${max}, got ${value}`);
  }
}

/** Largest value of a uint32 id or count. */
export const UINT32_MAX = 0xffff_ffff;

/** Collapses duplicate and trailing slashes: `//etc//hosts/` → `/etc/hosts`. */
export function cleanPath(p: string): string {
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  return `/${parts.join('/')}`;
}
