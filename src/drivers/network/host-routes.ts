import { readFile } from 'node:fs/promises';
import { formatCidr, maskOf } from './cidr.js';

/** Reads a little-endian hex IPv4 word as /proc/net/route prints it. */
function hexLe(h: string): number {
  const n = parseInt(h, 16);
  return (
    (((n & 255) << 24) | (((n >>> 8) & 255) << 16) | (((n >>> 16) & 255) << 8) | (n >>> 24)) >>> 0
  );
}

/**
 * Parses /proc/net/route (the main table) into destination CIDRs, default route included as
 * 0.0.0.0/0. Malformed lines are skipped. Pure.
 */
export function parseProcRoutes(text: string): string[] {
  const out = new Set<string>();
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const dst = f[1] ?? '';
    const mask = f[7] ?? '';
    if (!/^[0-9A-Fa-f]{8}$/.test(dst) || !/^[0-9A-Fa-f]{8}$/.test(mask)) continue;
    const m = hexLe(mask);
    let prefix = 0;
    while (prefix < 32 && ((m << prefix) & 0x80000000) !== 0) prefix++;
    if (maskOf(prefix) !== m) continue;
    out.add(formatCidr({ base: (hexLe(dst) & maskOf(prefix)) >>> 0, prefix }));
  }
  return [...out];
}

/**
 * CIDRs routed on the host now (IPv4, main table), from /proc/net/route: cheaper than spawning
 * `ip -j route` and the same data. Callers feed it to chooseSubnet as `taken`.
 */
export async function hostRoutes(): Promise<string[]> {
  return parseProcRoutes(await readFile('/proc/net/route', 'utf8'));
}
