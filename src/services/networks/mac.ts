import { conflict, invalidParameter } from '../../errors/index.js';
import { parseMac } from '../../drivers/network/index.js';
import type { Endpoint, EndpointWish } from './types.js';

/**
 * The validated MAC of a user's endpoint settings (lower case), or undefined when none was asked
 * for. Throws InvalidParameter `invalid MAC address: <value>` for anything but a unicast
 * `xx:xx:xx:xx:xx:xx`.
 */
export function requestedMac(want: EndpointWish | undefined): string | undefined {
  const mac = want?.mac;
  return mac === undefined || mac === '' ? undefined : parseMac(mac);
}

/**
 * Refuses a MAC for a container whose network mode gives it no endpoint of its own (none, host,
 * container:<id>), as Docker does.
 */
export function refuseMacWithoutNetwork(endpoints: Record<string, EndpointWish>): void {
  if (Object.values(endpoints).some((e) => e.mac !== undefined && e.mac !== ''))
    throw invalidParameter('conflicting options: mac-address and the network mode');
}

/**
 * Refuses `mac` when another container's endpoint on the network has it now (an attached
 * endpoint's MAC is recorded from the moment its attach begins, see setup.ts). Only live
 * endpoints count: a stopped container keeps its requested MAC in its config but does not hold
 * it, so a replacement created before the old one is removed (compose's recreate) still works,
 * and a conflict shows at start, like a static IP's.
 */
export function assertMacFree(
  members: Endpoint[],
  containerId: string,
  mac: string,
  network: string,
): void {
  if (members.some((e) => e.containerId !== containerId && e.mac === mac))
    throw conflict(`Address already in use: MAC address ${mac} on network ${network}`);
}
