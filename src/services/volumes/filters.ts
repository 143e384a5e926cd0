import { invalidParameter } from '../../errors/index.js';
import { anonymousLabel, type VolumeView } from './types.js';

const listKeys = new Set(['dangling', 'name', 'label', 'driver']);
const pruneKeys = new Set(['label', 'label!', 'all']);

function checkKeys(filters: Record<string, string[]>, allowed: Set<string>): void {
  for (const k of Object.keys(filters)) {
    if (!allowed.has(k)) throw invalidParameter(`invalid filter '${k}'`);
  }
}

/** Docker's boolean filter values: true/1 and false/0; anything else is a 400. */
function boolFilter(key: string, values: readonly string[] | undefined): boolean | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const out = values.map((v) => {
    const l = v.toLowerCase();
    if (l === 'true' || l === '1') return true;
    if (l === 'false' || l === '0') return false;
    throw invalidParameter(`invalid filter '${key}=${v}'`);
  });
  return out.some((v) => v);
}

/** `label=k` or `label=k=v` against a label map. */
export function labelMatches(labels: Record<string, string>, spec: string): boolean {
  const eq = spec.indexOf('=');
  if (eq < 0) return spec in labels;
  return labels[spec.slice(0, eq)] === spec.slice(eq + 1);
}

/**
 * GET /volumes filters: dangling (no container references it), name (substring), label (all
 * given must match), driver. Returns a predicate over a volume and its reference count.
 */
export function listFilter(
  filters: Record<string, string[]>,
): (v: VolumeView, refCount: number) => boolean {
  checkKeys(filters, listKeys);
  const dangling = boolFilter('dangling', filters['dangling']);
  const names = filters['name'] ?? [];
  const labels = filters['label'] ?? [];
  const drivers = filters['driver'] ?? [];
  return (v, refs) =>
    (dangling === undefined || dangling === (refs === 0)) &&
    (names.length === 0 || names.some((n) => v.name.includes(n))) &&
    labels.every((l) => labelMatches(v.labels, l)) &&
    (drivers.length === 0 || drivers.includes(v.driver));
}

/**
 * POST /volumes/prune filters: only unused volumes are candidates; without `all=true` only
 * anonymous ones (Docker ≥ 23); `label` must all match, `label!` must none.
 */
export function pruneFilter(filters: Record<string, string[]>): (v: VolumeView) => boolean {
  checkKeys(filters, pruneKeys);
  const all = boolFilter('all', filters['all']) ?? false;
  const labels = filters['label'] ?? [];
  const notLabels = filters['label!'] ?? [];
  return (v) =>
    (all || anonymousLabel in v.labels) &&
    labels.every((l) => labelMatches(v.labels, l)) &&
    !notLabels.some((l) => labelMatches(v.labels, l));
}
