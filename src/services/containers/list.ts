import { invalidParameter } from '../../errors/index.js';
import type { ContainerContext, Stored } from './context.js';
import type { Container } from './types.js';
import { HEALTH_FILTER_VALUES, healthFilterValue } from './health/state-machine.js';
import { compilePlacementFilters, placementFilters } from './list-filters.js';

/** Docker's list filters; every key's values are OR-ed, different keys AND-ed. */
export type ListFilters = Record<string, string[]>;

const knownFilters = new Set<string>([
  'id',
  'name',
  'status',
  'label',
  'exited',
  'ancestor',
  'health',
  ...placementFilters,
]);
const statuses = new Set([
  'created',
  'restarting',
  'running',
  'removing',
  'paused',
  'exited',
  'dead',
]);

function matchesLabel(c: Stored, spec: string): boolean {
  const eq = spec.indexOf('=');
  if (eq < 0) return spec in c.config.labels;
  return c.config.labels[spec.slice(0, eq)] === spec.slice(eq + 1);
}

function checkFilters(filters: ListFilters): void {
  for (const [key, values] of Object.entries(filters)) {
    if (!knownFilters.has(key)) throw invalidParameter(`invalid filter '${key}'`);
    if (key === 'status') {
      for (const v of values) {
        if (!statuses.has(v)) throw invalidParameter(`invalid filter 'status=${v}'`);
      }
    }
    if (key === 'health') {
      for (const v of values) {
        if (!HEALTH_FILTER_VALUES.has(v)) {
          throw invalidParameter(`Unrecognised filter value for health: ${v}`);
        }
      }
    }
    if (key === 'exited') {
      for (const v of values) {
        if (!/^-?\d+$/.test(v)) throw invalidParameter(`invalid filter 'exited=${v}'`);
      }
    }
  }
}

/**
 * GET /containers/json: running containers (all with `all`), newest first, filtered; `limit` > 0
 * keeps the newest n (and implies all, as in Docker). `complete` adds what the list shows beyond
 * the stored container (its NetworkSettings), for the `network` filter and the answer.
 */
export function listContainers(
  ctx: ContainerContext,
  opts: { all: boolean; limit: number; filters: ListFilters },
  complete: (c: Container) => Container = (c) => c,
): Container[] {
  checkFilters(opts.filters);
  const f = opts.filters;
  const placement = compilePlacementFilters(ctx, f);
  const all = opts.all || opts.limit > 0 || f['status'] !== undefined || f['exited'] !== undefined;
  const out: Container[] = [];
  for (const c of ctx.deps.repo.all()) {
    const status = ctx.status(c);
    if (!all && status !== 'running' && status !== 'paused') continue;
    if (f['id'] && !f['id'].some((v) => c.id.startsWith(v))) continue;
    if (f['name'] && !f['name'].some((v) => c.name.includes(v.replace(/^\//, '')))) continue;
    if (f['status'] && !f['status'].includes(status)) continue;
    if (f['label'] && !f['label'].every((v) => matchesLabel(c, v))) continue;
    if (f['exited'] && !(status === 'exited' && f['exited'].includes(String(c.state.exitCode))))
      continue;
    if (f['ancestor'] && !f['ancestor'].some((v) => v === c.imageRef || c.imageId.includes(v)))
      continue;
    if (f['health'] && !f['health'].includes(healthFilterValue(ctx.health.get(c.id)))) continue;
    let view: ReturnType<typeof ctx.view> | undefined;
    const viewOf = (): ReturnType<typeof ctx.view> => (view ??= complete(ctx.view(c)));
    if (!placement.every((match) => match(c, viewOf))) continue;
    out.push(viewOf());
    if (opts.limit > 0 && out.length >= opts.limit) break;
  }
  return out;
}
