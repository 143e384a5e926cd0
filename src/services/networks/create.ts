import { conflict, forbidden, invalidParameter, notFound } from '../../errors/index.js';
import { newId } from '../../lib/ids.js';
import { rfc3339Nano } from '../../lib/time.js';
import { chooseSubnet, hostRoutes } from '../../drivers/network/index.js';
import { contains, firstHost, formatCidr, ipToNumber, overlaps, parseCidr } from './cidr.js';
import { predefinedNames, type NetworksContext } from './context.js';
import { startDns } from './dns.js';
import type { CreateNetworkRequest, NetworkConfig } from './types.js';

const namePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const bridgeNamePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,14}$/;
const optBridgeName = 'com.docker.network.bridge.name';
const optMtu = 'com.docker.network.driver.mtu';
const optIcc = 'com.docker.network.bridge.enable_icc';
const optMasquerade = 'com.docker.network.bridge.enable_ip_masquerade';
const optHostBinding = 'com.docker.network.bridge.host_binding_ipv4';

function boolOption(v: string | undefined, key: string, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (/^(1|t|true)$/i.test(v)) return true;
  if (/^(0|f|false)$/i.test(v)) return false;
  throw invalidParameter(`invalid value for ${key}: ${JSON.stringify(v)}: not a boolean`);
}

/** Validates the driver options a bridge understands; returns bridge name, mtu and icc. */
function bridgeOptions(
  ctx: NetworksContext,
  id: string,
  options: Record<string, string>,
): Pick<NetworkConfig, 'bridge' | 'mtu' | 'icc' | 'masquerade' | 'hostBindingIpv4'> {
  const bridge = options[optBridgeName] ?? `br-${id.slice(0, 12)}`;
  if (!bridgeNamePattern.test(bridge))
    throw invalidParameter(
      `invalid bridge name ${JSON.stringify(bridge)}: at most 15 characters of [a-zA-Z0-9_.-]`,
    );
  const taken = ctx.deps.repo.all().find((n) => n.config.bridge === bridge);
  if (taken) throw forbidden(`bridge name ${bridge} is already used by network ${taken.name}`);
  const mtuText = options[optMtu];
  let mtu: number | undefined;
  if (mtuText !== undefined) {
    mtu = Number(mtuText);
    if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535)
      throw invalidParameter(
        `invalid MTU ${JSON.stringify(mtuText)}: must be between 68 and 65535`,
      );
  }
  const binding = options[optHostBinding];
  if (binding !== undefined && ipToNumber(binding) === null)
    throw invalidParameter(`invalid ${optHostBinding}: ${JSON.stringify(binding)}`);
  const masquerade = boolOption(options[optMasquerade], optMasquerade, true);
  return {
    bridge,
    ...(mtu !== undefined ? { mtu } : {}),
    icc: boolOption(options[optIcc], optIcc, true),
    ...(masquerade ? {} : { masquerade: false }),
    ...(binding !== undefined && binding !== '0.0.0.0' ? { hostBindingIpv4: binding } : {}),
  };
}

/** Subnet, gateway and range from the request, or a free subnet from the pools. */
async function ipamOf(
  ctx: NetworksContext,
  req: CreateNetworkRequest,
): Promise<{
  subnet: string;
  gateway: string;
  ipRange: string | null;
  user: boolean;
  aux?: Record<string, string>;
}> {
  const ipam = req.ipam;
  if (ipam?.driver && ipam.driver !== 'default')
    throw notFound(`IPAM driver ${JSON.stringify(ipam.driver)} not found`);
  const v4 = (ipam?.configs ?? []).filter((c) => !c.subnet?.includes(':'));
  if (v4.length < (ipam?.configs ?? []).length)
    throw invalidParameter('IPv6 is not supported by this engine yet');
  if (v4.length > 1) throw invalidParameter('only one IPv4 subnet per network is supported');
  const existing = ctx.deps.repo.all().filter((n) => n.config.subnet !== '');
  const c = v4[0];
  if (!c?.subnet) {
    if (c?.gateway || c?.ipRange || c?.auxAddresses)
      throw invalidParameter('a gateway, an ip-range or an aux-address needs a subnet');
    const taken = [
      ...(await hostRoutes().catch(() => [])),
      ...existing.map((n) => n.config.subnet),
    ];
    const subnet = chooseSubnet(ctx.deps.defaults.pools, taken);
    return { subnet, gateway: firstHost(parseCidr(subnet, 'subnet')), ipRange: null, user: false };
  }
  const subnet = parseCidr(c.subnet, 'subnet');
  if (subnet.prefix > 30) throw invalidParameter(`subnet ${c.subnet} is too small`);
  for (const n of existing)
    if (overlaps(parseCidr(n.config.subnet, 'subnet'), subnet))
      throw forbidden(
        `invalid pool request: Pool overlaps with other one on this address space (network ${n.name})`,
      );
  let gateway = firstHost(subnet);
  if (c.gateway) {
    const g = ipToNumber(c.gateway);
    if (g === null || !contains(subnet, g))
      throw invalidParameter(`no matching subnet for gateway ${c.gateway}`);
    gateway = c.gateway;
  }
  let ipRange: string | null = null;
  if (c.ipRange) {
    const r = parseCidr(c.ipRange, 'ip-range');
    if (r.prefix < subnet.prefix || !contains(subnet, r.base))
      throw invalidParameter(`no matching subnet for range ${c.ipRange}`);
    ipRange = formatCidr(r);
  }
  const aux = c.auxAddresses ?? {};
  for (const ip of Object.values(aux)) {
    const a = ipToNumber(ip);
    if (a === null || !contains(subnet, a))
      throw invalidParameter(`no matching subnet for aux-address ${ip}`);
  }
  return {
    subnet: formatCidr(subnet),
    gateway,
    ipRange,
    user: true,
    ...(Object.keys(aux).length > 0 ? { aux: { ...aux } } : {}),
  };
}

/** POST /networks/create: validates, stores, then builds the bridge; a failure undoes the row. */
export async function createNetwork(
  ctx: NetworksContext,
  req: CreateNetworkRequest,
): Promise<{ id: string; warning: string }> {
  const name = req.name;
  if (!name) throw invalidParameter('network name cannot be empty');
  if (!namePattern.test(name))
    throw invalidParameter(`invalid network name ${JSON.stringify(name)}`);
  if (predefinedNames.has(name))
    throw forbidden(`operation is not permitted on predefined ${name} network`);
  const driver = req.driver || 'bridge';
  if (driver === 'host' || driver === 'null')
    throw forbidden(`only one instance of "${driver}" network is allowed`);
  if (driver !== 'bridge') throw notFound(`plugin "${driver}" not found`);
  if (req.enableIpv6) throw invalidParameter('IPv6 is not supported by this engine yet');
  if ((req.scope && req.scope !== 'local') || req.ingress)
    throw invalidParameter(
      'swarm-scoped and ingress networks need swarm mode, which this engine has not',
    );
  if (req.configOnly || req.configFrom)
    throw invalidParameter('config-only networks are not supported by this engine');
  return ctx.mutex.run('networks', async () => {
    if (ctx.deps.repo.byName(name)) throw conflictName(name);
    const id = newId();
    const options = req.options ?? {};
    const bridge = bridgeOptions(ctx, id, options);
    const ipam = await ipamOf(ctx, req);
    const config: NetworkConfig = {
      ...bridge,
      subnet: ipam.subnet,
      gateway: ipam.gateway,
      ipRange: ipam.ipRange,
      internal: req.internal ?? false,
      attachable: req.attachable ?? false,
      labels: req.labels ?? {},
      options,
      userIpam: ipam.user,
      ...(ipam.aux ? { auxAddresses: ipam.aux } : {}),
    };
    const n = { id, name, driver: 'bridge', createdAt: rfc3339Nano(), config };
    ctx.deps.repo.insert(n);
    try {
      await ctx.deps.driver.ensureNetwork(ctx.spec(n));
    } catch (e) {
      ctx.deps.repo.remove(id);
      await ctx.deps.driver.removeNetwork(ctx.spec(n)).catch(() => undefined);
      throw e;
    }
    await startDns(ctx, n);
    ctx.event('create', n);
    return { id, warning: '' };
  });
}

const conflictName = (name: string): Error => conflict(`network with name ${name} already exists`);
