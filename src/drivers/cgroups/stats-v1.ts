import { join } from 'node:path';
import { parseDevice, parseFlatKeyed, parseNumberList, parseSingle } from './parse.js';
import { readOptional, readRequired } from './read-files.js';
import type { BlkioEntry, CgroupStats, CgroupStatsReader } from './types.js';

/** cpuacct.stat counts in USER_HZ ticks, which Linux fixes at 100 per second for userspace. */
const nsPerTick = 10_000_000;

/** memory.limit_in_bytes of an unlimited cgroup is a page-rounded 2^63-1; treat ≥ 2^62 as none. */
const unlimitedMemory = 2 ** 62;

/**
 * blkio lines `major:minor Op value` (the trailing `Total n` line is skipped). The kernel's op
 * casing (`Read`, `Write`, `Sync`, `Async`, `Discard`, `Total`) is kept, as dockerd does on v1.
 */
export function parseBlkioV1(text: string): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of text.split('\n')) {
    const [dev, op, value, extra] = line.trim().split(/\s+/);
    const d = parseDevice(dev ?? '');
    if (!d || !op || value === undefined || extra !== undefined || !/^\d+$/.test(value)) continue;
    out.push({ ...d, op, value: Number(value) });
  }
  return out;
}

/** The first non-empty blkio file of `names` in `dir` (CFQ stats, then throttle stats). */
async function blkio(dir: string, names: string[]): Promise<BlkioEntry[]> {
  for (const n of names) {
    const entries = parseBlkioV1(await readOptional(join(dir, n)));
    if (entries.length > 0) return entries;
  }
  return [];
}

/**
 * A reader for cgroup v1, where each controller has its own hierarchy under `root`
 * (`<root>/<controller>/<path>`). cpu and cpuacct may be mounted apart or together (`cpu,cpuacct`
 * with symlinks); both layouts resolve through the per-controller names.
 */
export function cgroupV1Reader(root: string): CgroupStatsReader {
  return async (path) => {
    const at = (ctrl: string, file: string): string => join(root, ctrl, path, file);
    const blk = join(root, 'blkio', path);
    const [usage, percpu, cpuacctStat, cpuStat, mem, memMax, memLimit, failcnt, memStat] =
      await Promise.all([
        readRequired(at('cpuacct', 'cpuacct.usage')),
        readOptional(at('cpuacct', 'cpuacct.usage_percpu')),
        readOptional(at('cpuacct', 'cpuacct.stat')),
        readOptional(at('cpu', 'cpu.stat')),
        readOptional(at('memory', 'memory.usage_in_bytes')),
        readOptional(at('memory', 'memory.max_usage_in_bytes')),
        readOptional(at('memory', 'memory.limit_in_bytes')),
        readOptional(at('memory', 'memory.failcnt')),
        readOptional(at('memory', 'memory.stat')),
      ]);
    const [pidsCurrent, pidsMax, ioBytes, ioServiced] = await Promise.all([
      readOptional(at('pids', 'pids.current')),
      readOptional(at('pids', 'pids.max')),
      blkio(blk, [
        'blkio.io_service_bytes_recursive',
        'blkio.throttle.io_service_bytes_recursive',
        'blkio.throttle.io_service_bytes',
      ]),
      blkio(blk, [
        'blkio.io_serviced_recursive',
        'blkio.throttle.io_serviced_recursive',
        'blkio.throttle.io_serviced',
      ]),
    ]);
    const acct = parseFlatKeyed(cpuacctStat);
    const thr = parseFlatKeyed(cpuStat);
    const limit = parseSingle(memLimit);
    const pidsLimit = parseSingle(pidsMax);
    const current = parseSingle(pidsCurrent);
    const stats: CgroupStats = {
      cpu: {
        totalNs: parseSingle(usage) ?? 0,
        perCpuNs: parseNumberList(percpu),
        userNs: (acct['user'] ?? 0) * nsPerTick,
        kernelNs: (acct['system'] ?? 0) * nsPerTick,
        throttling: {
          periods: thr['nr_periods'] ?? 0,
          throttledPeriods: thr['nr_throttled'] ?? 0,
          throttledTimeNs: thr['throttled_time'] ?? 0,
        },
      },
      memory: {
        usage: parseSingle(mem) ?? 0,
        maxUsage: parseSingle(memMax) ?? 0,
        failcnt: parseSingle(failcnt) ?? 0,
        stats: parseFlatKeyed(memStat),
        ...(limit !== undefined && limit < unlimitedMemory ? { limit } : {}),
      },
      pids: {
        ...(current !== undefined ? { current } : {}),
        // pids.max is `max` when unlimited; Docker reports that as 0.
        ...(pidsMax !== '' ? { limit: pidsLimit ?? 0 } : {}),
      },
      blkio: { ioServiceBytes: ioBytes, ioServiced },
    };
    return stats;
  };
}
