import { forbidden, invalidParameter, notFound } from '../../errors/index.js';
import type { NetworksContext } from './context.js';
import { endpointConfig, modeOf } from './plan.js';
import { attachEndpoint, detachEndpoint, factsOf, nextIfName } from './setup.js';
import type { ContainerRef, EndpointWish } from './types.js';

/**
 * POST /networks/{id}/connect: adds a membership to a created or stopped container, and on a
 * running one also leases an address and attaches the next `eth<n>` at once. Under the
 * container's lock so it cannot race a start or an exit.
 */
export async function connectNetwork(
  ctx: NetworksContext,
  idOrName: string,
  container: string,
  want: EndpointWish,
): Promise<void> {
  const n = ctx.lookup(idOrName);
  if (n.driver !== 'bridge')
    throw forbidden(
      `container cannot be disconnected from host network or connected to host network`,
    );
  await ctx.containers.withLock(container, async (c) => {
    const mode = modeOf(c.networkMode);
    if (mode.kind !== 'network')
      throw invalidParameter(
        'container sharing network namespace with another container or host cannot be connected to any other network',
      );
    const { repo } = ctx.deps;
    if (repo.endpointsOf(c.id).some((e) => e.networkId === n.id))
      throw forbidden(`endpoint with name ${c.name} already exists in network ${n.name}`);
    repo.addEndpoint(n.id, c.id, endpointConfig(n, want, []));
    if (c.running) {
      const sb = repo.sandbox(c.id);
      const e = repo.endpointsOf(c.id).find((x) => x.networkId === n.id);
      try {
        if (!sb || !e) throw notFound(`container ${c.id} has no network sandbox`);
        await attachEndpoint(ctx, e, sb.path, nextIfName(repo.endpointsOf(c.id)), []);
      } catch (err) {
        repo.removeEndpoint(n.id, c.id);
        throw err;
      }
      await refreshEtc(ctx, c);
    }
    ctx.event('connect', n, { container: c.id });
  });
}

/**
 * POST /networks/{id}/disconnect: detaches a running container's endpoint and drops the
 * membership. `force` also drops memberships of containers that no longer exist.
 */
export async function disconnectNetwork(
  ctx: NetworksContext,
  idOrName: string,
  container: string,
  force: boolean,
): Promise<void> {
  const n = ctx.lookup(idOrName);
  if (n.driver !== 'bridge')
    throw forbidden(
      `container cannot be disconnected from host network or connected to host network`,
    );
  const { repo } = ctx.deps;
  if (force && !ctx.containers.find(container)) {
    const stale = repo.endpointsIn(n.id).filter((e) => e.containerId.startsWith(container));
    for (const e of stale) {
      await detachEndpoint(ctx, e);
      repo.removeEndpoint(n.id, e.containerId);
    }
    if (stale.length > 0) return;
  }
  await ctx.containers.withLock(container, async (c) => {
    const e = repo.endpointsOf(c.id).find((x) => x.networkId === n.id);
    if (!e) throw forbidden(`container ${c.id} is not connected to network ${n.name}`);
    if (e.address !== null || e.ifName !== null) await detachEndpoint(ctx, e);
    repo.removeEndpoint(n.id, c.id);
    if (c.running) await refreshEtc(ctx, c);
    ctx.event('disconnect', n, { container: c.id });
  });
}

/**
 * A running container's /etc/hosts and resolv.conf after a connect or disconnect: its addresses
 * now, and the embedded DNS while it is on a user-defined network (so a container started on the
 * default bridge and connected to a user network resolves that network's names, as in Docker).
 * The membership change stands even if the files cannot be rewritten; that is logged.
 */
async function refreshEtc(ctx: NetworksContext, c: ContainerRef): Promise<void> {
  await ctx.containers
    .refreshEtc(c.id, factsOf(ctx, c.id, c.links ?? []))
    .catch((e: unknown) => ctx.deps.log(`container ${c.id}: rewriting /etc files: ${String(e)}`));
}
