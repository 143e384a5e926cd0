import { invalidParameter } from '../../errors/index.js';

/** An IPv4 CIDR as numbers. */
export interface Cidr {
  base: number;
  prefix: number;
}

/** `a.b.c.d` → 32-bit number; null when malformed. */
export function ipToNumber(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

/** 32-bit number → `a.b.c.d`. */
export function numberToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

const mask = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** Parses `a.b.c.d/n` keeping the host bits (so `--bip 10.1.2.1/24` keeps its .1). */
export function parseCidrLoose(s: string, what: string): { ip: number; prefix: number } {
  const [ipText = '', prefixText = ''] = s.split('/');
  const ip = ipToNumber(ipText);
  const prefix = /^\d{1,2}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (ip === null || !(prefix >= 0 && prefix <= 32))
    throw invalidParameter(`invalid ${what} ${JSON.stringify(s)}: not an IPv4 CIDR`);
  return { ip, prefix };
}

/** Parses a CIDR and zeroes its host bits. */
export function parseCidr(s: string, what: string): Cidr {
  const { ip, prefix } = parseCidrLoose(s, what);
  return { base: (ip & mask(prefix)) >>> 0, prefix };
}

export function formatCidr(c: Cidr): string {
  return `${numberToIp(c.base)}/${c.prefix}`;
}

export function contains(c: Cidr, ip: number): boolean {
  return (ip & mask(c.prefix)) >>> 0 === c.base;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  return (a.base & mask(p)) >>> 0 === (b.base & mask(p)) >>> 0;
}

/** The first usable host address of a subnet (Docker's default gateway). */
export function firstHost(c: Cidr): string {
  return numberToIp(c.base + 1);
}
