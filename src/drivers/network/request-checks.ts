import { invalidParameter } from '../../errors/index.js';
import { contains, parseCidr, parseIp } from './cidr.js';
import { parseMac, validateBridgeName } from './names.js';
import type { AttachRequest, BridgeNetworkSpec } from './types.js';

/** Checks the spec's names and addresses before any of them reaches argv or a rule. */
export function validateSpec(spec: BridgeNetworkSpec): void {
  validateBridgeName(spec.bridge);
  const net = parseCidr(spec.subnet);
  const gw = parseIp(spec.gateway);
  if (gw === null || !contains(net, gw))
    throw invalidParameter(
      `gateway ${JSON.stringify(spec.gateway)} is not an address in subnet ${spec.subnet}`,
    );
  if (spec.mtu !== undefined && (!Number.isInteger(spec.mtu) || spec.mtu < 68 || spec.mtu > 65535))
    throw invalidParameter(`invalid MTU: ${spec.mtu}`);
}

/** The request's names go into `ip -batch` lines and argv: no whitespace, no surprises. */
export function validateRequest(req: AttachRequest): void {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(req.ifName))
    throw invalidParameter(`invalid interface name ${JSON.stringify(req.ifName)}`);
  if (!/^\/[A-Za-z0-9_./-]+$/.test(req.netnsPath))
    throw invalidParameter(`invalid netns path ${JSON.stringify(req.netnsPath)}`);
  // The MAC goes into an `ip -batch` line and the plugin's config: checked here as well.
  if (req.mac !== undefined) parseMac(req.mac);
}

/** Accepts `a.b.c.d` or `a.b.c.d/len`; returns it with the subnet's prefix; must be in the subnet. */
export function normaliseAddress(subnet: string, address: string): string {
  const net = parseCidr(subnet);
  const ip = address.split('/')[0] ?? '';
  const n = parseIp(ip);
  if (n === null || !contains(net, n))
    throw invalidParameter(`address ${JSON.stringify(address)} is not in subnet ${subnet}`);
  return `${ip}/${net.prefix}`;
}
