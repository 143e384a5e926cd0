import { conflict, invalidParameter } from '../../errors/index.js';
import { contains, formatIp, maskOf, parseCidr, parseIp, sizeOf } from './cidr.js';

/** Strips an optional `/len` so leases may be stored either way. */
function bareIp(s: string): string {
  const i = s.indexOf('/');
  return i < 0 ? s : s.slice(0, i);
}

/**
 * Picks a free IPv4 address for a container, as Docker's default IPAM would: never the network
 * address, the broadcast address or the gateway, never one in `used` (plain IPs or CIDRs).
 * Without `prefer` it returns the lowest free address inside `ipRange` (or the whole subnet).
 * `prefer` (`--ip`) may lie anywhere in the subnet. Returns the plain address ("10.88.0.5");
 * the caller appends the subnet's prefix for AttachRequest.address.
 * Throws InvalidParameter for malformed/out-of-subnet input and Conflict when the address is
 * taken or the range is exhausted. Pure.
 */
export function allocateAddress(
  subnet: string,
  gateway: string,
  ipRange: string | null,
  used: Set<string>,
  prefer?: string,
): string {
  const net = parseCidr(subnet);
  const taken = new Set<number>();
  for (const u of used) {
    const n = parseIp(bareIp(u));
    if (n !== null) taken.add(n);
  }
  const gw = gateway === '' ? null : parseIp(bareIp(gateway));
  if (gw !== null) taken.add(gw);
  const first = net.prefix >= 31 ? net.base : net.base + 1;
  const last = net.prefix >= 31 ? net.base + sizeOf(net) - 1 : net.base + sizeOf(net) - 2;

  if (prefer !== undefined && prefer !== '') {
    const ip = parseIp(bareIp(prefer));
    if (ip === null) throw invalidParameter(`invalid IPv4 address: ${JSON.stringify(prefer)}`);
    if (!contains(net, ip))
      throw invalidParameter(`no configured subnet contains IP address ${formatIp(ip)}`);
    if (ip < first || ip > last)
      throw invalidParameter(`IP address ${formatIp(ip)} is not usable in subnet ${subnet}`);
    if (taken.has(ip)) throw conflict(`Address already in use: ${formatIp(ip)}`);
    return formatIp(ip);
  }

  let lo = first;
  let hi = last;
  if (ipRange !== null && ipRange !== '') {
    const range = parseCidr(ipRange, 'ip-range');
    if (range.prefix < net.prefix || !contains(net, range.base))
      throw invalidParameter(`ip-range ${ipRange} is not inside subnet ${subnet}`);
    lo = Math.max(first, range.base);
    hi = Math.min(last, (range.base | ~maskOf(range.prefix)) >>> 0);
  }
  for (let ip = lo; ip <= hi; ip++) if (!taken.has(ip)) return formatIp(ip);
  throw conflict(`no available IPv4 addresses on this network's address pools (${subnet})`);
}
