import { invalidParameter } from '../../errors/index.js';
import { parseDockerTime } from '../../lib/go-duration.js';
import type { ContainerContext, Stored } from './context.js';
import { removeLocked } from './remove.js';

/** Docker's `until` filter as epoch milliseconds. */
function untilCutoff(v: string, now: number): number {
  const t = parseDockerTime(v, now);
  if (t === undefined) throw invalidParameter(`invalid filter 'until=${v}'`);
  return t;
}

function labelMatches(c: Stored, spec: string): boolean {
  const eq = spec.indexOf('=');
  return eq < 0
    ? spec in c.config.labels
    : c.config.labels[spec.slice(0, eq)] === spec.slice(eq + 1);
}

/**
 * POST /containers/prune: removes every stopped container (created, exited, dead) that matches
 * the filters `until`, `label` and `label!`. Returns what was removed and the space freed.
 */
export async function pruneContainers(
  ctx: ContainerContext,
  filters: Record<string, string[]>,
): Promise<{ deleted: string[]; spaceReclaimed: number }> {
  for (const key of Object.keys(filters)) {
    if (!['until', 'label', 'label!'].includes(key))
      throw invalidParameter(`invalid filter '${key}'`);
  }
  const now = Date.now();
  const cutoffs = (filters['until'] ?? []).map((v) => untilCutoff(v, now));
  const deleted: string[] = [];
  let spaceReclaimed = 0;
  for (const c of ctx.deps.repo.all()) {
    if (!['created', 'exited', 'dead'].includes(c.state.status)) continue;
    if (cutoffs.some((t) => Date.parse(c.createdAt) >= t)) continue;
    if (!(filters['label'] ?? []).every((l) => labelMatches(c, l))) continue;
    if ((filters['label!'] ?? []).some((l) => labelMatches(c, l))) continue;
    await ctx.mutex.run(c.id, async () => {
      const cur = ctx.deps.repo.byId(c.id);
      if (!cur || !['created', 'exited', 'dead'].includes(cur.state.status)) return;
      const size = await ctx.deps.snapshotter.upperSize(c.id).catch(() => 0);
      await removeLocked(ctx, cur);
      deleted.push(c.id);
      spaceReclaimed += size;
    });
  }
  ctx.deps.events.publish('container', 'prune', '', { reclaimed: String(spaceReclaimed) });
  return { deleted, spaceReclaimed };
}
