import { conflict, forbidden, invalidParameter } from '../../errors/index.js';
import { parseDockerTime } from '../../lib/go-duration.js';
import { predefinedNames, type NetworksContext } from './context.js';
import { stopDns } from './dns.js';
import { labelMatches } from './list.js';
import type { Network } from './types.js';

/** True while a running container holds an endpoint (a lease) on the network. */
const inUse = (ctx: NetworksContext, n: Network): boolean =>
  ctx.deps.repo.endpointsIn(n.id).some((e) => e.address !== null);

/** Removes a network that nothing runs on; called with the networks lock held. */
async function removeLocked(ctx: NetworksContext, n: Network): Promise<void> {
  if (inUse(ctx, n))
    throw conflict(
      `error while removing network: network ${n.name} id ${n.id} has active endpoints`,
    );
  await stopDns(ctx, n);
  await ctx.deps.driver.removeNetwork(ctx.spec(n));
  // Memberships of stopped containers go with the row (ON DELETE CASCADE), as in Docker a
  // stopped container does not keep a removed network alive.
  ctx.deps.repo.remove(n.id);
  ctx.event('destroy', n);
}

/** DELETE /networks/{id}. The predefined networks cannot be removed (Docker's 403). */
export async function removeNetwork(ctx: NetworksContext, idOrName: string): Promise<void> {
  const n = ctx.lookup(idOrName);
  if (predefinedNames.has(n.name))
    throw forbidden(`${n.name} is a pre-defined network and cannot be removed`);
  await ctx.mutex.run('networks', async () => {
    const cur = ctx.deps.repo.byId(n.id);
    if (cur) await removeLocked(ctx, cur);
  });
}

/** POST /networks/prune: user networks with no running container, filtered by until/label. */
export async function pruneNetworks(
  ctx: NetworksContext,
  filters: Record<string, string[]>,
): Promise<string[]> {
  for (const key of Object.keys(filters))
    if (!['until', 'label', 'label!'].includes(key))
      throw invalidParameter(`invalid filter '${key}'`);
  const now = Date.now();
  const cutoffs = (filters['until'] ?? []).map((v) => {
    const t = parseDockerTime(v, now);
    if (t === undefined) throw invalidParameter(`invalid filter 'until=${v}'`);
    return t;
  });
  const deleted: string[] = [];
  await ctx.mutex.run('networks', async () => {
    for (const n of ctx.deps.repo.all()) {
      if (predefinedNames.has(n.name) || inUse(ctx, n)) continue;
      if (cutoffs.some((t) => Date.parse(n.createdAt) >= t)) continue;
      if (!(filters['label'] ?? []).every((l) => labelMatches(n.config.labels, l))) continue;
      if ((filters['label!'] ?? []).some((l) => labelMatches(n.config.labels, l))) continue;
      await removeLocked(ctx, n);
      deleted.push(n.name);
    }
  });
  ctx.deps.events.publish('network', 'prune', '', { reclaimed: '0' });
  return deleted;
}
