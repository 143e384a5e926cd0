import { join } from 'node:path';
import { parseDevice, parseFlatKeyed, parseSingle } from './parse.js';
import { readOptional, readRequired } from './read-files.js';
import type { BlkioEntry, CgroupStats, CgroupStatsReader } from './types.js';

/**
 * io.stat lines `major:minor rbytes=n wbytes=n rios=n ...` into Docker's v2 entries: one `read`
 * and one `write` byte count per device, the only blkio field dockerd fills on cgroup v2.
 */
export function parseIoStatV2(text: string): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of text.split('\n')) {
    const [dev, ...pairs] = line.trim().split(/\s+/);
    const d = parseDevice(dev ?? '');
    if (!d) continue;
    const kv: Record<string, number> = {};
    for (const p of pairs) {
      const m = /^([a-z]+)=(\d+)$/.exec(p);
      if (m?.[1] && m[2]) kv[m[1]] = Number(m[2]);
    }
    out.push({ ...d, op: 'read', value: kv['rbytes'] ?? 0 });
    out.push({ ...d, op: 'write', value: kv['wbytes'] ?? 0 });
  }
  return out;
}

/** A reader for the unified hierarchy (`<root>/<path>/`); microseconds become nanoseconds. */
export function cgroupV2Reader(root: string): CgroupStatsReader {
  return async (path) => {
    const at = (file: string): string => join(root, path, file);
    const [cpuStat, mem, memMax, memStat, pidsCurrent, pidsMax, io] = await Promise.all([
      readRequired(at('cpu.stat')),
      readOptional(at('memory.current')),
      readOptional(at('memory.max')),
      readOptional(at('memory.stat')),
      readOptional(at('pids.current')),
      readOptional(at('pids.max')),
      readOptional(at('io.stat')),
    ]);
    const cpu = parseFlatKeyed(cpuStat);
    const limit = parseSingle(memMax);
    const current = parseSingle(pidsCurrent);
    const stats: CgroupStats = {
      cpu: {
        totalNs: (cpu['usage_usec'] ?? 0) * 1000,
        userNs: (cpu['user_usec'] ?? 0) * 1000,
        kernelNs: (cpu['system_usec'] ?? 0) * 1000,
        throttling: {
          periods: cpu['nr_periods'] ?? 0,
          throttledPeriods: cpu['nr_throttled'] ?? 0,
          throttledTimeNs: (cpu['throttled_usec'] ?? 0) * 1000,
        },
      },
      memory: {
        usage: parseSingle(mem) ?? 0,
        stats: parseFlatKeyed(memStat),
        ...(limit !== undefined ? { limit } : {}),
      },
      pids: {
        ...(current !== undefined ? { current } : {}),
        // pids.max is `max` when unlimited; Docker reports that as 0.
        ...(pidsMax !== '' ? { limit: parseSingle(pidsMax) ?? 0 } : {}),
      },
      blkio: { ioServiceBytes: parseIoStatV2(io) },
    };
    return stats;
  };
}
