import { conflict, invalidParameter } from '../../errors/index.js';
import { contains, ipToNumber, parseCidr } from './cidr.js';
import type { NetworksContext } from './context.js';
import { refuseMacWithoutNetwork, requestedMac } from './mac.js';
import type {
  ContainerNetworkRequest,
  EndpointConfig,
  EndpointWish,
  Network,
  PortsConfig,
} from './types.js';

/** What a NetworkMode means. */
export type ModeKind =
  | { kind: 'host' }
  | { kind: 'none' }
  | { kind: 'container'; ref: string }
  | { kind: 'network'; name: string };

/** Parses Docker's NetworkMode (`default` is the default bridge). */
export function modeOf(mode: string): ModeKind {
  if (mode === 'host') return { kind: 'host' };
  if (mode === 'none') return { kind: 'none' };
  if (mode.startsWith('container:')) {
    const ref = mode.slice('container:'.length);
    if (ref === '') throw invalidParameter(`invalid network mode: ${mode}`);
    return { kind: 'container', ref };
  }
  return { kind: 'network', name: mode === 'default' || mode === '' ? 'bridge' : mode };
}

/** Checks a requested static address against a network (Docker's rules and messages). */
export function checkStaticIp(n: Network, ip: string): void {
  const num = ipToNumber(ip);
  if (num === null) throw invalidParameter(`invalid IPv4 address: ${ip}`);
  if (n.name === 'bridge' || !n.config.userIpam)
    throw invalidParameter(
      'user specified IP address is supported only when connecting to networks with user configured subnets',
    );
  if (!contains(parseCidr(n.config.subnet, 'subnet'), num) || ip === n.config.gateway)
    throw invalidParameter(`no configured subnet or ip-range contain the IP address ${ip}`);
}

/** Validates endpoint settings for one network and returns what the membership stores. */
export function endpointConfig(
  n: Network,
  want: EndpointWish | undefined,
  links: string[],
): EndpointConfig {
  if (n.driver !== 'bridge')
    throw invalidParameter(
      `container cannot be connected to network ${n.name} (driver ${n.driver})`,
    );
  const aliases = want?.aliases ?? [];
  if (aliases.length > 0 && n.name === 'bridge')
    throw invalidParameter(
      'network-scoped alias is supported only for containers in user defined networks',
    );
  const ipv4 = want?.ipv4 || null;
  if (ipv4) checkStaticIp(n, ipv4);
  const mac = requestedMac(want);
  return { ipv4, aliases, links: n.name === 'bridge' ? links : [], ...(mac ? { mac } : {}) };
}

/**
 * Records a new container's memberships (called by container create after its row exists):
 * the network of its NetworkMode first (eth0), then any other network its EndpointsConfig names.
 * Throws NotFound for a missing network, InvalidParameter for settings Docker refuses.
 */
export function planContainer(
  ctx: NetworksContext,
  containerId: string,
  req: ContainerNetworkRequest,
  ports: PortsConfig,
): void {
  const mode = modeOf(req.mode);
  const publishes = Object.keys(ports.bindings).length > 0 || ports.publishAll;
  if (mode.kind !== 'network') {
    refuseMacWithoutNetwork(req.endpoints);
    if (publishes && mode.kind !== 'host')
      throw invalidParameter(
        'conflicting options: port publishing and the container type network mode',
      );
    if (req.links.length > 0 && mode.kind !== 'host')
      throw invalidParameter('conflicting options: links and the container type network mode');
    const others = Object.keys(req.endpoints).filter((k) => k !== req.mode);
    if (others.length > 0)
      throw invalidParameter(
        `container sharing network namespace with another container or host cannot be connected to any other network`,
      );
    return;
  }
  const primary = ctx.lookup(mode.name);
  const keyOf = (n: Network): string | undefined =>
    [req.mode, n.name, n.id].find((k) => k in req.endpoints);
  const planned = new Set<string>();
  const add = (n: Network): void => {
    if (planned.has(n.id)) return;
    planned.add(n.id);
    const key = keyOf(n);
    ctx.deps.repo.addEndpoint(
      n.id,
      containerId,
      endpointConfig(n, key ? req.endpoints[key] : undefined, req.links),
    );
  };
  add(primary);
  for (const key of Object.keys(req.endpoints)) {
    if (key === req.mode || key === 'default') continue;
    const n = ctx.lookup(key);
    if (n.driver !== 'bridge') throw conflict(`container cannot be connected to network ${n.name}`);
    add(n);
  }
}
