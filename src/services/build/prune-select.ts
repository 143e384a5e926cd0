import type { BuildCacheRecord } from './cache-usage.js';

/**
 * What `POST /build/prune` was asked to remove (parsed and validated by the route). Filters
 * follow dockerd's BuildKit backend: every given filter must match (AND); `id` matches a
 * substring of the record id (BuildKit's `~=`), `parent`, `description` and `type` match exactly
 * (`==`); `inuse`, `shared`, `private` require that property to be `true`/`false`.
 */
export interface BuildPruneOptions {
  /** Also remove shared records (Docker's `--all`); without it they stay, as BuildKit does. */
  all: boolean;
  /** Epoch ms: records last used after it stay (`until`, or its old name `unused-for`). */
  untilMs?: number;
  id?: string;
  parent?: string;
  description?: string;
  type?: string;
  inUse?: boolean;
  shared?: boolean;
  /** `private`: the opposite of `shared`. */
  private?: boolean;
  /** Bytes the cache may always keep (`reserved-space`, older clients' `keep-storage`). */
  reservedSpace: number;
  /** Prune until the cache is at most this big (0: no cap). */
  maxUsedSpace: number;
  /** Prune until the disk has this much free (0: no target). */
  minFreeSpace: number;
}

const hex = (id: string): string => id.replace(/^sha256:/, '');

/** Whether `r` passes every filter and the `all`/`until` rules (space limits aside). */
export function matchesPrune(r: BuildCacheRecord, o: BuildPruneOptions): boolean {
  if (r.inUse) return false; // a container's image: never pruned, as BuildKit skips held records
  if (!o.all && r.shared) return false;
  if (o.untilMs !== undefined && Date.parse(r.lastUsedAt) > o.untilMs) return false;
  if (o.id !== undefined && !r.id.includes(hex(o.id))) return false;
  if (o.parent !== undefined && !r.parents.includes(hex(o.parent))) return false;
  if (o.description !== undefined && r.description !== o.description) return false;
  if (o.type !== undefined && o.type !== 'regular') return false; // every record is `regular`
  if (o.inUse !== undefined && r.inUse !== o.inUse) return false;
  if (o.shared !== undefined && r.shared !== o.shared) return false;
  if (o.private !== undefined && r.shared === o.private) return false;
  return true;
}

/**
 * The cache size to prune down to, or null when no space parameter caps it. BuildKit's rule:
 * keep up to `maxUsedSpace`, less whatever must go to leave `minFreeSpace` free on the disk, but
 * never below `reservedSpace`. Given alone, `reservedSpace` is the cap itself (the classic
 * `--keep-storage`: keep that much, the most recently used).
 */
export function keepLimit(o: BuildPruneOptions, total: number, freeBytes: number): number | null {
  if (o.maxUsedSpace === 0 && o.minFreeSpace === 0)
    return o.reservedSpace > 0 ? o.reservedSpace : null;
  let keep = o.maxUsedSpace > 0 ? o.maxUsedSpace : total;
  const excess = o.minFreeSpace - freeBytes;
  if (o.minFreeSpace > 0 && excess > 0) keep = Math.min(keep, total - excess);
  return Math.max(keep, o.reservedSpace);
}

/**
 * The ids of the records to delete, in an order that deletes a record only after the records
 * built on it. A record built on by a record that stays is never chosen (its image could not go:
 * the child needs it). With a space limit only records that free space count (shared ones free
 * nothing), the least recently used first, until the unshared total is within the limit.
 */
export function selectForPrune(
  records: readonly BuildCacheRecord[],
  o: BuildPruneOptions,
  freeBytes: number,
): string[] {
  const children = new Map<string, string[]>();
  for (const r of records)
    for (const p of r.parents) children.set(p, [...(children.get(p) ?? []), r.id]);
  const total = records.reduce((n, r) => n + (r.shared ? 0 : r.size), 0);
  const limit = keepLimit(o, total, freeBytes);
  let pool = records.filter((r) => matchesPrune(r, o) && (limit === null || !r.shared));
  const chosen: string[] = [];
  const gone = new Set<string>();
  const leaf = (r: BuildCacheRecord): boolean =>
    (children.get(r.id) ?? []).every((c) => gone.has(c));
  if (limit === null) {
    // Everything matched goes, leaves first; a record whose child stays is left out.
    for (let progress = true; progress;) {
      progress = false;
      for (const r of pool.filter(leaf)) {
        chosen.push(r.id);
        gone.add(r.id);
        progress = true;
      }
      pool = pool.filter((r) => !gone.has(r.id));
    }
    return chosen;
  }
  let size = total;
  while (size > limit) {
    const next = pool
      .filter(leaf)
      .sort((a, b) => Date.parse(a.lastUsedAt) - Date.parse(b.lastUsedAt))[0];
    if (next === undefined) break;
    chosen.push(next.id);
    gone.add(next.id);
    size -= next.size;
    pool = pool.filter((r) => r.id !== next.id);
  }
  return chosen;
}
