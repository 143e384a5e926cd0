import { invalidParameter } from '../../errors/index.js';

/** A parsed IPv4 CIDR: `base` is the network address (host bits cleared) as an unsigned int. */
export interface Cidr {
  base: number;
  prefix: number;
}

/** Parses a dotted IPv4 address to an unsigned 32-bit int, or null when it is not one. */
export function parseIp(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

/** Formats an unsigned 32-bit int as a dotted IPv4 address. */
export function formatIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The netmask of a prefix length as an unsigned int (prefix 0 → 0). */
export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses `a.b.c.d/len` (host bits allowed and cleared), or null when malformed. */
export function tryParseCidr(s: string): Cidr | null {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(s);
  if (m === null) return null;
  const ip = parseIp(m[1] ?? '');
  const prefix = Number(m[2]);
  if (ip === null || prefix > 32) return null;
  return { base: (ip & maskOf(prefix)) >>> 0, prefix };
}

/** Like tryParseCidr, but throws Docker's InvalidParameter message for bad input. */
export function parseCidr(s: string, what = 'subnet'): Cidr {
  const c = tryParseCidr(s);
  if (c === null) throw invalidParameter(`invalid ${what} ${JSON.stringify(s)}: not an IPv4 CIDR`);
  return c;
}

/** Formats a parsed CIDR. */
export function formatCidr(c: Cidr): string {
  return `${formatIp(c.base)}/${c.prefix}`;
}

/** Number of addresses in the CIDR. */
export function sizeOf(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

/** True when `ip` lies inside `c`. */
export function contains(c: Cidr, ip: number): boolean {
  return (ip & maskOf(c.prefix)) >>> 0 === c.base;
}

/** True when the two CIDRs share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  return (a.base & maskOf(p)) >>> 0 === (b.base & maskOf(p)) >>> 0;
}
