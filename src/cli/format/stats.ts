import type { ContainerStatsResponse } from '../../api/index.js';
import { bytesSize, humanSize } from './human.js';
import { formatTable } from './table.js';
import { shortId } from './text.js';

/** One row of `stats`, computed as the docker CLI computes it from a stats object. */
export interface StatsRow {
  id: string;
  name: string;
  cpuPercent: number;
  memUsage: number;
  memLimit: number;
  memPercent: number;
  netRx: number;
  netTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
}

/**
 * CPU% = container CPU delta / host CPU delta × online CPUs × 100; memory without the page
 * cache the kernel can drop (v1 total_inactive_file, v2 inactive_file), as the docker CLI does.
 */
export function statsRow(s: ContainerStatsResponse): StatsRow {
  const cpu = s.cpu_stats;
  const pre = s.precpu_stats;
  const cpuDelta = (cpu?.cpu_usage?.total_usage ?? 0) - (pre?.cpu_usage?.total_usage ?? 0);
  const sysDelta = (cpu?.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0);
  const cpus = cpu?.online_cpus || cpu?.cpu_usage?.percpu_usage?.length || 1;
  const cpuPercent = cpuDelta > 0 && sysDelta > 0 ? (cpuDelta / sysDelta) * cpus * 100 : 0;
  const mem = s.memory_stats;
  const stats = mem?.stats ?? {};
  const inactive = stats['total_inactive_file'] ?? stats['inactive_file'] ?? 0;
  const usage = mem?.usage ?? 0;
  const memUsage = inactive != null && inactive < usage ? usage - inactive : usage;
  const memLimit = mem?.limit ?? 0;
  let netRx = 0;
  let netTx = 0;
  for (const n of Object.values(s.networks ?? {})) {
    netRx += n?.rx_bytes ?? 0;
    netTx += n?.tx_bytes ?? 0;
  }
  let blockRead = 0;
  let blockWrite = 0;
  for (const e of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = (e?.op ?? '').toLowerCase();
    if (op === 'read') blockRead += e?.value ?? 0;
    if (op === 'write') blockWrite += e?.value ?? 0;
  }
  return {
    id: s.id ?? '',
    name: (s.name ?? '').replace(/^\//, ''),
    cpuPercent,
    memUsage,
    memLimit,
    memPercent: memLimit > 0 ? (memUsage / memLimit) * 100 : 0,
    netRx,
    netTx,
    blockRead,
    blockWrite,
    pids: s.pids_stats?.current ?? 0,
  };
}

/** docker's `stats` table. */
export function formatStatsTable(rows: readonly StatsRow[]): string {
  const head = [
    'CONTAINER ID',
    'NAME',
    'CPU %',
    'MEM USAGE / LIMIT',
    'MEM %',
    'NET I/O',
    'BLOCK I/O',
    'PIDS',
  ];
  return formatTable([
    head,
    ...rows.map((r) => [
      shortId(r.id),
      r.name,
      `${r.cpuPercent.toFixed(2)}%`,
      `${bytesSize(r.memUsage)} / ${bytesSize(r.memLimit)}`,
      `${r.memPercent.toFixed(2)}%`,
      `${humanSize(r.netRx)} / ${humanSize(r.netTx)}`,
      `${humanSize(r.blockRead)} / ${humanSize(r.blockWrite)}`,
      String(r.pids),
    ]),
  ]);
}
