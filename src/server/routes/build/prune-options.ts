import { invalidParameter } from '../../../errors/index.js';
import { parseDockerTime } from '../../../lib/go-duration.js';
import type { BuildPruneOptions } from '../../../services/build/prune-select.js';
import { boolQuery, filtersQuery } from '../../http.js';

const valueFilters = ['id', 'parent', 'description', 'type'] as const;
const flagFilters = { inuse: 'inUse', shared: 'shared', private: 'private' } as const;
const known = new Set<string>([
  'until',
  'unused-for',
  ...valueFilters,
  ...Object.keys(flagFilters),
]);

/** A byte count query parameter (`reserved-space`...): a non-negative integer, 0 when absent. */
function bytesQuery(q: URLSearchParams, name: string): number {
  const v = q.get(name);
  if (v === null || v === '') return 0;
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)))
    throw invalidParameter(`${name} is in bytes and expects an integer, got ${v}`);
  return Number(v);
}

/**
 * `inuse`, `shared`, `private` take no value in BuildKit; the docker CLI needs `key=value`, so
 * an empty value, `true`/`1` ask for the property and `false`/`0` for its absence.
 */
function flag(key: string, v: string): boolean {
  const l = v.toLowerCase();
  if (l === '' || l === 'true' || l === '1') return true;
  if (l === 'false' || l === '0') return false;
  throw invalidParameter(`invalid filter '${key}=${v}'`);
}

/**
 * The query of POST /build/prune as BuildPruneOptions, validated before anything is deleted
 * (every mistake is a 400 with dockerd's message): `all`, `filters` (one value per key; `until`
 * and its old name `unused-for` as Unix seconds, an RFC 3339 date or a Go duration before
 * `nowMs`), `reserved-space` (or the older `keep-storage` the docker CLI sends for
 * `--keep-storage`), `max-used-space`, `min-free-space`.
 */
export function pruneOptionsFromQuery(q: URLSearchParams, nowMs: number): BuildPruneOptions {
  const filters = filtersQuery(q);
  for (const key of Object.keys(filters))
    if (!known.has(key)) throw invalidParameter(`invalid filter '${key}'`);
  for (const values of Object.values(filters))
    if (values.length > 1) throw invalidParameter('filters expect only one value');
  const one = (key: string): string | undefined => filters[key]?.[0];
  if (one('until') !== undefined && one('unused-for') !== undefined)
    throw invalidParameter('conflicting filters: "until" and "unused-for"');
  const reserved = bytesQuery(q, 'reserved-space');
  const opts: BuildPruneOptions = {
    all: boolQuery(q, 'all'),
    reservedSpace: reserved > 0 ? reserved : bytesQuery(q, 'keep-storage'),
    maxUsedSpace: bytesQuery(q, 'max-used-space'),
    minFreeSpace: bytesQuery(q, 'min-free-space'),
  };
  const untilKey = one('until') !== undefined ? 'until' : 'unused-for';
  const until = one(untilKey);
  if (until !== undefined) {
    const t = parseDockerTime(until, nowMs);
    if (t === undefined)
      throw invalidParameter(
        `"${untilKey}" filter expects a duration (e.g., '24h') or a timestamp: invalid value "${until}"`,
      );
    opts.untilMs = t;
  }
  for (const key of valueFilters) {
    const v = one(key);
    if (v !== undefined) opts[key] = v;
  }
  for (const [key, field] of Object.entries(flagFilters)) {
    const v = one(key);
    if (v !== undefined) opts[field] = flag(key, v);
  }
  return opts;
}
