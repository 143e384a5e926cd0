import { readFile } from 'node:fs/promises';

/** One interface's counters, in Docker's NetworkStats field names. */
export interface InterfaceStats {
  rx_bytes: number;
  rx_packets: number;
  rx_errors: number;
  rx_dropped: number;
  tx_bytes: number;
  tx_packets: number;
  tx_errors: number;
  tx_dropped: number;
}

/**
 * Parses /proc/<pid>/net/dev (two header lines, then `name: rx×8 tx×8`). Loopback is left out:
 * dockerd reports only the container's own endpoints.
 */
export function parseNetDev(text: string): Record<string, InterfaceStats> {
  const out: Record<string, InterfaceStats> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([^:\s]+):\s*(.*)$/.exec(line);
    if (!m?.[1] || m[2] === undefined || m[1] === 'lo') continue;
    const n = m[2].trim().split(/\s+/).map(Number);
    if (n.length < 16 || n.some((x) => !Number.isFinite(x))) continue;
    const at = (i: number): number => n[i] ?? 0;
    out[m[1]] = {
      rx_bytes: at(0),
      rx_packets: at(1),
      rx_errors: at(2),
      rx_dropped: at(3),
      tx_bytes: at(8),
      tx_packets: at(9),
      tx_errors: at(10),
      tx_dropped: at(11),
    };
  }
  return out;
}

/**
 * The interfaces in the network namespace of process `pid` (read through its /proc entry);
 * undefined when the process is gone.
 */
export async function readNetDev(
  pid: number,
  procRoot = '/proc',
): Promise<Record<string, InterfaceStats> | undefined> {
  try {
    return parseNetDev(await readFile(`${procRoot}/${pid}/net/dev`, 'utf8'));
  } catch {
    return undefined;
  }
}
