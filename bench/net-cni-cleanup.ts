// Removes the chains the CNI portmap and firewall plugins leave behind (LOWLEVEL §5.4), but only
// when nothing of anyone's is left in them: they are shared by every CNI user of the host.
import { applyBatch, saveTable } from '../src/drivers/network/iptables.js';

/** Rules the plugins put in their own chains at creation; anything else means "in use". */
const fixed = [
  /^-A CNI-FORWARD .*-j CNI-ADMIN$/,
  /^-A CNI-HOSTPORT-MASQ .*-j MASQUERADE$/,
  /^-A CNI-HOSTPORT-SETMARK .*-j MARK/,
];

/** Deletes CNI-FORWARD/CNI-ADMIN and CNI-HOSTPORT-* with their jumps when they hold nothing else. */
export async function removeEmptyCniChains(): Promise<void> {
  for (const [table, chains] of [
    ['filter', ['CNI-FORWARD', 'CNI-ADMIN']],
    ['nat', ['CNI-HOSTPORT-DNAT', 'CNI-HOSTPORT-MASQ', 'CNI-HOSTPORT-SETMARK']],
  ] as const) {
    const lines = await saveTable(table);
    const present = chains.filter((c) => lines.some((l) => l.startsWith(`:${c} `)));
    const busy = lines.some(
      (l) => present.some((c) => l.startsWith(`-A ${c} `)) && !fixed.some((f) => f.test(l)),
    );
    if (present.length === 0 || busy) continue;
    const jumps = lines.filter(
      (l) =>
        l.startsWith('-A ') &&
        present.some((c) => l.endsWith(`-j ${c}`) && !l.startsWith(`-A ${c} `)),
    );
    const body = [
      ...jumps.map((l) => `-D ${l.slice(3)}`),
      ...present.map((c) => `-F ${c}`),
      ...present.map((c) => `-X ${c}`),
    ];
    await applyBatch({ [table]: body });
  }
}
