/**
 * A starting container's network, in one phase (Berth makes the netns, then attaches it) or in
 * two (`prepare`, then `attachToPid` once runc has made the netns inside the container's user
 * namespace, as Docker does for remapped containers: `runc exec` joins the user namespace first
 * and may only then join a netns that namespace owns).
 */
import { conflict, notFound, systemError } from '../../errors/index.js';
import type { PortMapping } from '../../drivers/network/index.js';
import type { NetworksContext } from './context.js';
import { modeOf } from './plan.js';
import { heldKeys, resolvePortMappings } from './ports.js';
import { attachEndpoint, factsOf, tearDownContainer } from './setup.js';
import type {
  Endpoint,
  EtcFacts,
  NetworkSetup,
  PendingNetwork,
  PortsConfig,
  PreparedNetwork,
  PublishedPort,
} from './types.js';

/** The sandbox row's `ports` JSON. */
interface SandboxPorts {
  published: Record<string, PublishedPort[] | null>;
}

/** What a container start hands the networks service. */
export interface StartingContainer {
  id: string;
  networkMode: string;
  ports: PortsConfig;
  links: string[];
}

/** Ports other running containers have published (for conflict checks). */
function heldPorts(ctx: NetworksContext, except: string): Set<string> {
  const held = new Set<string>();
  for (const s of ctx.deps.repo.sandboxes()) {
    if (s.containerId === except) continue;
    const p = JSON.parse(s.ports) as SandboxPorts;
    for (const k of heldKeys(p.published)) held.add(k);
  }
  return held;
}

const noFacts = (): EtcFacts => ({ ips: [], embeddedDns: null, hostGateway: null, links: [] });

/**
 * The set-up of modes that need no sandbox of their own (host, none, `container:<x>`), or
 * undefined for a bridge-network mode.
 */
function sharedSetup(ctx: NetworksContext, c: StartingContainer): NetworkSetup | undefined {
  const mode = modeOf(c.networkMode);
  if (mode.kind === 'host') return { netns: 'host', facts: noFacts() };
  if (mode.kind === 'none') return { netns: 'none-new', facts: noFacts() };
  if (mode.kind !== 'container') return undefined;
  const other = ctx.containers.find(mode.ref);
  if (!other) throw notFound(`No such container: ${mode.ref}`);
  const sb = ctx.deps.repo.sandbox(other.id);
  if (!other.running || !sb)
    throw conflict(`cannot join network of a non running container: ${other.id}`);
  return { netns: { path: sb.path }, facts: factsOf(ctx, other.id, []) };
}

/**
 * Tears a stale sandbox down, resolves and checks the ports (before anything exists) and saves
 * the sandbox row, which reserves them against other starts.
 */
async function reserve(
  ctx: NetworksContext,
  c: StartingContainer,
  path: () => Promise<string>,
): Promise<{ endpoints: Endpoint[]; path: string; mappings: PortMapping[] }> {
  const { repo } = ctx.deps;
  const endpoints = repo.endpointsOf(c.id);
  const mode = modeOf(c.networkMode);
  const name = mode.kind === 'network' ? mode.name : c.networkMode;
  if (endpoints.length === 0) throw notFound(`network ${name} not found`);
  // A sandbox left by an earlier run whose teardown never finished (berthd stopped or crashed
  // right after the exit) is torn down first: a start always gets a fresh one.
  if (repo.sandbox(c.id)) await tearDownContainer(ctx, c.id);
  const primary = endpoints[0] ? repo.byId(endpoints[0].networkId) : undefined;
  const { mappings, published } = await resolvePortMappings(
    c.ports,
    heldPorts(ctx, c.id),
    primary?.config.hostBindingIpv4,
  );
  const p = await path();
  repo.saveSandbox({ containerId: c.id, path: p, ports: JSON.stringify({ published }) });
  return { endpoints, path: p, mappings };
}

/** One attach per membership (eth0 first, ports on eth0); any failure tears everything down. */
async function attachAll(
  ctx: NetworksContext,
  id: string,
  endpoints: Endpoint[],
  path: string,
  mappings: PortMapping[],
): Promise<void> {
  const { repo } = ctx.deps;
  try {
    for (const [i, e] of endpoints.entries())
      await attachEndpoint(ctx, e, path, `eth${i}`, i === 0 ? mappings : []);
    // Docker reports every network a starting container joins (and leaves at its stop).
    for (const e of endpoints) {
      const n = repo.byId(e.networkId);
      if (n) ctx.event('connect', n, { container: id });
    }
  } catch (e) {
    await tearDownContainer(ctx, id);
    throw e instanceof Error && 'kind' in e
      ? e
      : systemError(`network setup failed: ${String(e)}`, e);
  }
}

/**
 * Sets up a starting container's network (called under its lock): the sandbox, one attach per
 * membership, the sandbox row. Ports are resolved and checked before anything exists; any
 * failure tears down what was built.
 */
export async function setUpContainer(
  ctx: NetworksContext,
  c: StartingContainer,
): Promise<NetworkSetup> {
  const shared = sharedSetup(ctx, c);
  if (shared) return shared;
  const r = await reserve(ctx, c, () => ctx.deps.driver.createSandbox(c.id));
  await attachAll(ctx, c.id, r.endpoints, r.path, r.mappings);
  return { netns: { path: r.path }, facts: factsOf(ctx, c.id, c.links) };
}

/**
 * Phase one of a two-phase set-up (under the container's lock): for a bridge-network mode the
 * ports are checked and reserved and the container is to get a new netns from runc (`pending`
 * says where it will be pinned; the facts have no own address yet); other modes are set up at
 * once as by {@link setUpContainer}. A failure before `attachToPid` is undone by tearDown.
 */
export async function prepareContainer(
  ctx: NetworksContext,
  c: StartingContainer,
): Promise<PreparedNetwork> {
  const shared = sharedSetup(ctx, c);
  if (shared) return shared;
  const r = await reserve(ctx, c, () => Promise.resolve(ctx.deps.driver.sandboxPath(c.id)));
  const pending = { containerId: c.id, path: r.path, mappings: r.mappings, links: c.links };
  return { netns: 'none-new', facts: factsOf(ctx, c.id, c.links), pending };
}

/**
 * Phase two: pins the netns of the container's init `pid` at the sandbox path and attaches every
 * membership into it. Root on the host holds every capability over a child user namespace's
 * netns, so the attach is the one-phase one. Any failure tears the network down.
 */
export async function attachToPid(
  ctx: NetworksContext,
  p: PendingNetwork,
  pid: number,
): Promise<NetworkSetup> {
  const { repo, driver } = ctx.deps;
  const row = repo.sandbox(p.containerId);
  if (!row || row.path !== p.path)
    throw conflict(`network of container ${p.containerId} is not prepared`);
  try {
    await driver.adoptSandbox(p.containerId, pid);
  } catch (e) {
    await tearDownContainer(ctx, p.containerId);
    throw e;
  }
  await attachAll(ctx, p.containerId, repo.endpointsOf(p.containerId), p.path, p.mappings);
  return { netns: { path: p.path }, facts: factsOf(ctx, p.containerId, p.links) };
}
