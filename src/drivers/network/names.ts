import { invalidParameter } from '../../errors/index.js';
import { parseIp } from './cidr.js';

/**
 * Validates a Linux bridge device name: 1–15 chars (IFNAMSIZ - 1), letters, digits, `_ . -`, not
 * `.`/`..`. Stricter than the kernel (which allows most bytes) because the name is also put in
 * iptables chain names and shell-free argv. Throws InvalidParameter.
 */
export function validateBridgeName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/.test(name))
    throw invalidParameter(
      `invalid bridge name ${JSON.stringify(name)}: use 1-15 characters [A-Za-z0-9_.-], starting with a letter or digit`,
    );
  return name;
}

/** Docker's MAC for an IPv4 address: 02:42 followed by the four address bytes. */
export function macFromIp(ip: string): string {
  const n = parseIp(ip.split('/')[0] ?? '');
  if (n === null) throw invalidParameter(`invalid IPv4 address: ${JSON.stringify(ip)}`);
  const bytes = [0x02, 0x42, n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/**
 * Checks a requested MAC address (`--mac-address`, an endpoint's MacAddress): six hex pairs
 * joined by `:`, unicast (lowest bit of the first octet clear) and not all zero, as the kernel
 * accepts for an Ethernet device. Returns it in lower case; throws InvalidParameter
 * `invalid MAC address: <value>` (Docker's wording) otherwise.
 */
export function parseMac(value: unknown): string {
  const shown = typeof value === 'string' ? value.slice(0, 64) : JSON.stringify(value);
  if (typeof value !== 'string' || !/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/.test(value))
    throw invalidParameter(`invalid MAC address: ${shown}`);
  const mac = value.toLowerCase();
  if ((parseInt(mac.slice(0, 2), 16) & 1) === 1)
    throw invalidParameter(`invalid MAC address: ${shown}: not a unicast address`);
  if (mac === '00:00:00:00:00:00') throw invalidParameter(`invalid MAC address: ${shown}`);
  return mac;
}

/**
 * Names of the per-network iptables chains. Every Berth rule lives in a chain of its own network
 * (or is a jump into one, tagged with `networkTag`), so removing a network deletes exactly its
 * rules and never touches a shared chain. ≤ 28 chars: "BERTH-X-" + a 15-char bridge = 23.
 */
export function chainNames(bridge: string): { filter: string; nat: string; dnat: string } {
  return { filter: `BERTH-F-${bridge}`, nat: `BERTH-N-${bridge}`, dnat: `BERTH-D-${bridge}` };
}

/** The iptables comment that tags every Berth rule of one network (jumps included). */
export function networkTag(bridge: string): string {
  return `berth:${bridge}`;
}

/** The device group every Berth bridge is put in, so isolation needs one rule per network. */
export const BERTH_DEVGROUP = 0x42455254; // "BERT"
