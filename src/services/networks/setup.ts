import { randomBytes } from 'node:crypto';
import { conflict, notFound } from '../../errors/index.js';
import { allocateAddress, type PortMapping } from '../../drivers/network/index.js';
import type { NetworksContext } from './context.js';
import { assertMacFree } from './mac.js';
import type { Endpoint, EtcFacts, Network } from './types.js';

/**
 * Leases an address for a membership and attaches it as `ifName` (with its requested MAC, which
 * no other live endpoint of the network may have: 409); undone on failure.
 */
export async function attachEndpoint(
  ctx: NetworksContext,
  e: Endpoint,
  netnsPath: string,
  ifName: string,
  portMappings: PortMapping[],
): Promise<void> {
  const { repo, driver } = ctx.deps;
  const n = repo.byId(e.networkId);
  if (!n) throw notFound(`network ${e.networkId} not found`);
  const mac = e.config.mac;
  if (mac) assertMacFree(repo.endpointsIn(n.id), e.containerId, mac, n.name);
  const used = new Set([...repo.leases(n.id), ...(ctx.draining.get(n.id) ?? [])]);
  for (const aux of Object.values(n.config.auxAddresses ?? {})) used.add(aux); // never handed out
  const address = allocateAddress(
    n.config.subnet,
    n.config.gateway,
    n.config.ipRange,
    used,
    e.config.ipv4 ?? undefined,
  );
  if (e.config.ipv4 && address !== e.config.ipv4)
    throw conflict(`Address already in use: ${e.config.ipv4} on network ${n.name}`);
  if (!repo.lease(n.id, e.containerId, address, randomBytes(32).toString('hex')))
    throw conflict(`Address already in use: ${address} on network ${n.name}`);
  // Claimed in the same tick as the check above, so two starts cannot both take one MAC.
  if (mac) repo.setAttached(n.id, e.containerId, mac, ifName);
  try {
    const prefix = n.config.subnet.split('/')[1] ?? '24';
    const a = await driver.attach(ctx.spec(n), {
      containerId: e.containerId,
      netnsPath,
      ifName,
      address: `${address}/${prefix}`,
      ...(mac ? { mac } : {}),
      portMappings,
    });
    repo.setAttached(n.id, e.containerId, a.mac, ifName);
  } catch (err) {
    await driver.detach(ctx.spec(n), e.containerId, ifName).catch(() => undefined);
    repo.release(n.id, e.containerId);
    throw err;
  }
}

/** Detaches one leased endpoint and releases its address; errors are logged (idempotent). */
export async function detachEndpoint(ctx: NetworksContext, e: Endpoint): Promise<void> {
  const { repo, driver, log } = ctx.deps;
  const n = repo.byId(e.networkId);
  if (n && e.ifName)
    await driver
      .detach(ctx.spec(n), e.containerId, e.ifName)
      .catch((err: unknown) => log(`detach ${e.containerId} from ${n.name}: ${String(err)}`));
  repo.release(e.networkId, e.containerId);
}

/** The next free `eth<n>` of a container. */
export function nextIfName(endpoints: Endpoint[]): string {
  const used = new Set(endpoints.map((e) => e.ifName).filter((x): x is string => x !== null));
  for (let i = 0; ; i++) if (!used.has(`eth${i}`)) return `eth${i}`;
}

/** The /etc facts of a container whose endpoints are attached. */
export function factsOf(ctx: NetworksContext, id: string, links: string[]): EtcFacts {
  const { repo } = ctx.deps;
  const eps = repo.endpointsOf(id).filter((e) => e.address);
  const nets = eps.map((e) => repo.byId(e.networkId));
  const userNet = nets.find((n) => n && n.name !== 'bridge');
  const bridge = repo.byName('bridge');
  const linkFacts: EtcFacts['links'] = [];
  for (const l of links) {
    const [target = '', alias = target] = l.split(':');
    const t = ctx.containers.find(target);
    const addr =
      t && bridge ? repo.endpointsOf(t.id).find((x) => x.networkId === bridge.id)?.address : null;
    if (t && addr)
      linkFacts.push({ ip: addr, names: [...new Set([alias, t.id.slice(0, 12), t.name])] });
  }
  return {
    ips: eps.map((e) => e.address as string),
    embeddedDns: ctx.deps.dns && userNet ? userNet.config.gateway : null,
    hostGateway: bridge?.config.gateway ?? null,
    links: linkFacts,
  };
}

/**
 * Detaches every endpoint, releases the leases and removes the sandbox (idempotent). Everything
 * it needs is read before its first await, so the container's row may be deleted meanwhile
 * (auto-remove does not wait for this).
 */
export async function tearDownContainer(ctx: NetworksContext, id: string): Promise<void> {
  const { repo, driver, log } = ctx.deps;
  const leased = repo.endpointsOf(id).filter((e) => e.address !== null || e.ifName !== null);
  const sandbox = repo.sandbox(id);
  const specs = leased.map((e) => repo.byId(e.networkId));
  const draining = leased.flatMap((e) => {
    if (!e.address) return [];
    const set = ctx.draining.get(e.networkId) ?? new Set<string>();
    ctx.draining.set(e.networkId, set.add(e.address));
    return [{ set, address: e.address }];
  });
  try {
    await detachAll(ctx, id, leased, specs);
    if (sandbox) {
      await driver
        .removeSandbox(id)
        .catch((e: unknown) => log(`remove sandbox ${id}: ${String(e)}`));
      repo.removeSandbox(id);
    }
  } finally {
    for (const { set, address } of draining) set.delete(address);
  }
}

/** Detaches each leased endpoint, then releases its row's lease. */
async function detachAll(
  ctx: NetworksContext,
  id: string,
  leased: Endpoint[],
  specs: (Network | undefined)[],
): Promise<void> {
  const { repo, driver, log } = ctx.deps;
  await Promise.all(
    leased.map(async (e, i) => {
      const n = specs[i];
      if (n && e.ifName)
        await driver
          .detach(ctx.spec(n), id, e.ifName)
          .catch((err: unknown) => log(`detach ${id} from ${n.name}: ${String(err)}`));
      // Released only once the interface is gone, so an address is never live twice.
      repo.release(e.networkId, e.containerId);
      if (n) ctx.event('disconnect', n, { container: id });
    }),
  );
}
