import { type Batch, chainsIn, deletionsOf, rulesTagged } from './iptables.js';
import { BERTH_DEVGROUP, chainNames, networkTag } from './names.js';
import type { BridgeNetworkSpec } from './types.js';

/** The built-in chains a network jumps from, and the jump's match (tag appended by the builder). */
function jumps(spec: BridgeNetworkSpec): { table: 'filter' | 'nat'; line: string }[] {
  const c = chainNames(spec.bridge);
  const tag = `-m comment --comment ${networkTag(spec.bridge)}`;
  return [
    // Inserted first so a host's own FORWARD DROP (Docker's policy) cannot shadow it.
    { table: 'filter', line: `-I FORWARD ${tag} -j ${c.filter}` },
    { table: 'nat', line: `-A POSTROUTING ${tag} -j ${c.nat}` },
    { table: 'nat', line: `-A PREROUTING -m addrtype --dst-type LOCAL ${tag} -j ${c.dnat}` },
    { table: 'nat', line: `-A OUTPUT -m addrtype --dst-type LOCAL ${tag} -j ${c.dnat}` },
  ];
}

/**
 * The rules of one network's own filter chain. Replaces the firewall plugin (per container) and
 * Docker's isolation chains with rules written once per network:
 * - isolation: nothing is forwarded between this bridge and any other Berth bridge (all Berth
 *   bridges share one device group, so this needs no list of the other networks);
 * - ICC on the bridge (bridge-nf sends bridged frames through FORWARD);
 * - internal: nothing in or out of the bridge; otherwise replies, published ports (DNATed
 *   connections) and outbound traffic are accepted.
 */
export function filterRules(spec: BridgeNetworkSpec): string[] {
  const { filter } = chainNames(spec.bridge);
  const br = spec.bridge;
  const g = `0x${BERTH_DEVGROUP.toString(16)}`;
  const rules = [
    `-A ${filter} -i ${br} ! -o ${br} -m devgroup --dst-group ${g} -j DROP`,
    `-A ${filter} -o ${br} ! -i ${br} -m devgroup --src-group ${g} -j DROP`,
    `-A ${filter} -i ${br} -o ${br} -j ${spec.icc ? 'ACCEPT' : 'DROP'}`,
  ];
  if (spec.internal)
    rules.push(
      `-A ${filter} -i ${br} ! -o ${br} -j DROP`,
      `-A ${filter} -o ${br} ! -i ${br} -j DROP`,
    );
  else
    rules.push(
      `-A ${filter} -o ${br} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
      `-A ${filter} -o ${br} -m conntrack --ctstate DNAT -j ACCEPT`,
      `-A ${filter} -i ${br} ! -o ${br} -j ACCEPT`,
    );
  return rules;
}

/**
 * The rules of one network's own POSTROUTING chain: outbound NAT (not for internal networks), and
 * MASQUERADE for DNATed connections from 127.0.0.0/8 (with route_localnet, what makes published
 * ports answer on 127.0.0.1 without a proxy) and from the bridge itself (hairpin).
 */
export function natRules(spec: BridgeNetworkSpec): string[] {
  const { nat } = chainNames(spec.bridge);
  const br = spec.bridge;
  const rules = [
    `-A ${nat} -o ${br} -s 127.0.0.0/8 -m conntrack --ctstate DNAT -j MASQUERADE`,
    `-A ${nat} -o ${br} -s ${spec.subnet} -m conntrack --ctstate DNAT -j MASQUERADE`,
  ];
  if (!spec.internal && spec.masquerade !== false)
    rules.push(`-A ${nat} -s ${spec.subnet} ! -o ${br} -j MASQUERADE`);
  return rules;
}

/**
 * The batch that brings a network's rules to their wanted state, given the current listings.
 * Idempotent: the filter and POSTROUTING chains are re-declared (iptables-restore flushes a
 * declared chain) and refilled; the DNAT chain, which holds the per-container port rules, is
 * created only when missing; jumps are added only when missing.
 */
export function ensureBatch(spec: BridgeNetworkSpec, filterNow: string[], natNow: string[]): Batch {
  const c = chainNames(spec.bridge);
  const tag = networkTag(spec.bridge);
  const batch: Required<Batch> = {
    filter: [`:${c.filter} - [0:0]`, ...filterRules(spec)],
    nat: [`:${c.nat} - [0:0]`, ...natRules(spec)],
  };
  if (!chainsIn(natNow).has(c.dnat)) batch.nat.push(`:${c.dnat} - [0:0]`);
  const have = { filter: rulesTagged(filterNow, tag), nat: rulesTagged(natNow, tag) };
  for (const j of jumps(spec)) {
    const target = j.line.split(' -j ')[1] ?? '';
    const chain = j.line.split(' ')[1] ?? '';
    if (!have[j.table].some((l) => l.startsWith(`-A ${chain} `) && l.endsWith(`-j ${target}`)))
      batch[j.table].push(j.line);
  }
  return batch;
}

/**
 * The batch that removes every rule of a network: its tagged jumps (all copies), then its own
 * chains flushed and deleted. Touches nothing untagged, so other networks' and other programs'
 * rules stay.
 */
export function removeBatch(spec: BridgeNetworkSpec, filterNow: string[], natNow: string[]): Batch {
  const c = chainNames(spec.bridge);
  const tag = networkTag(spec.bridge);
  const batch: Required<Batch> = {
    filter: deletionsOf(rulesTagged(filterNow, tag)),
    nat: deletionsOf(rulesTagged(natNow, tag)),
  };
  const fchains = chainsIn(filterNow);
  const nchains = chainsIn(natNow);
  if (fchains.has(c.filter)) batch.filter.push(`-F ${c.filter}`, `-X ${c.filter}`);
  for (const ch of [c.nat, c.dnat]) if (nchains.has(ch)) batch.nat.push(`-F ${ch}`, `-X ${ch}`);
  return batch;
}
