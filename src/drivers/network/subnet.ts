import { conflict, invalidParameter } from '../../errors/index.js';
import { type Cidr, formatCidr, overlaps, parseCidr, sizeOf, tryParseCidr } from './cidr.js';

/** One address pool: subnets of `/size` are carved out of `base`. */
export interface AddressPool {
  base: Cidr;
  size: number;
}

/**
 * Parses a pool as berthd's `--default-address-pool` writes it: `base=<CIDR>,size=<n>`; a bare
 * CIDR means size 24 (or the CIDR's own prefix when that is longer).
 */
export function parsePool(s: string): AddressPool {
  const fields = new Map<string, string>();
  if (!s.includes('=')) fields.set('base', s);
  else
    for (const kv of s.split(',')) {
      const i = kv.indexOf('=');
      fields.set(kv.slice(0, i).trim(), kv.slice(i + 1).trim());
    }
  const baseText = fields.get('base');
  if (baseText === undefined) throw invalidParameter(`address pool ${JSON.stringify(s)}: no base`);
  const base = parseCidr(baseText, 'address pool base');
  const sizeText = fields.get('size');
  const size = sizeText === undefined ? Math.max(24, base.prefix) : Number(sizeText);
  if (!Number.isInteger(size) || size < base.prefix || size > 30)
    throw invalidParameter(
      `address pool ${JSON.stringify(s)}: size must be between ${base.prefix} and 30`,
    );
  return { base, size };
}

/**
 * Returns the first subnet, in pool order, that overlaps none of `taken` (host routes and the
 * subnets of existing networks; malformed entries are ignored). A default route (0.0.0.0/0) in
 * `taken` is skipped, as it overlaps everything. Throws Conflict when every pool is exhausted.
 */
export function chooseSubnet(pools: string[], taken: string[]): string {
  const used = taken
    .map((t) => tryParseCidr(t))
    .filter((c): c is Cidr => c !== null && c.prefix > 0);
  for (const text of pools) {
    const pool = parsePool(text);
    const step = sizeOf({ base: 0, prefix: pool.size });
    const count = sizeOf(pool.base) / step;
    for (let i = 0; i < count; i++) {
      const cand: Cidr = { base: pool.base.base + i * step, prefix: pool.size };
      if (!used.some((u) => overlaps(u, cand))) return formatCidr(cand);
    }
  }
  throw conflict(
    'could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network',
  );
}
