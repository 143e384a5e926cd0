import { readFile } from 'node:fs/promises';

/** Nanoseconds per USER_HZ tick in /proc/stat (USER_HZ is 100 for userspace on Linux). */
const nsPerTick = 10_000_000;

/** The host's CPU time and online CPU count, as Docker's `system_cpu_usage`/`online_cpus`. */
export interface HostCpu {
  /** user+nice+system+idle+iowait+irq+softirq of all CPUs, in nanoseconds. */
  systemNs: number;
  onlineCpus: number;
}

/** Parses /proc/stat: the aggregate `cpu` line's first seven fields, and the `cpuN` lines. */
export function parseProcStat(text: string): HostCpu {
  let systemNs = 0;
  let onlineCpus = 0;
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === 'cpu') {
      const ticks = fields.slice(1, 8).map(Number);
      systemNs = ticks.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0) * nsPerTick;
    } else if (/^cpu\d+$/.test(fields[0] ?? '')) {
      onlineCpus++;
    }
  }
  return { systemNs, onlineCpus };
}

/** Reads the host CPU counters from `/proc/stat` (or `path`, for tests). */
export async function readHostCpu(path = '/proc/stat'): Promise<HostCpu> {
  return parseProcStat(await readFile(path, 'utf8'));
}
