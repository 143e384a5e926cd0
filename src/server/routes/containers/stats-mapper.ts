import type {
  ContainerBlkioStats,
  ContainerCPUStats,
  ContainerStatsResponse,
} from '../../../api/index.js';
import { rfc3339Nano } from '../../../lib/time.js';
import type { StatsFrame, StatsSample } from '../../../services/containers/stats.js';

/** Go's zero time, which dockerd sends for a `preread` it does not have. */
const zeroTime = '0001-01-01T00:00:00Z';

/** The CPU block of a sample; without one, the zero values dockerd sends for `precpu_stats`. */
function cpuStats(s: StatsSample | undefined): ContainerCPUStats {
  if (!s) {
    return {
      cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
      throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
    };
  }
  const { cpu } = s.cgroup;
  return {
    cpu_usage: {
      total_usage: cpu.totalNs,
      ...(cpu.perCpuNs && cpu.perCpuNs.length > 0 ? { percpu_usage: cpu.perCpuNs } : {}),
      usage_in_kernelmode: cpu.kernelNs,
      usage_in_usermode: cpu.userNs,
    },
    system_cpu_usage: s.host.systemNs,
    online_cpus: s.host.onlineCpus,
    throttling_data: {
      periods: cpu.throttling.periods,
      throttled_periods: cpu.throttling.throttledPeriods,
      throttled_time: cpu.throttling.throttledTimeNs,
    },
  };
}

/**
 * One stats object in dockerd's shape for `/name` and `id`. Like Go's encoder, zero pids fields
 * are omitted and the blkio lists a cgroup version lacks are null; `networks` is omitted when the
 * container has no interface besides loopback.
 */
export function toWireStats(id: string, name: string, frame: StatsFrame): ContainerStatsResponse {
  const s = frame.current;
  const m = s?.cgroup.memory;
  const pids = s?.cgroup.pids;
  const blkio = s?.cgroup.blkio;
  return {
    name: `/${name}`,
    id,
    read: s ? rfc3339Nano(s.readNs) : zeroTime,
    preread: frame.previous ? rfc3339Nano(frame.previous.readNs) : zeroTime,
    pids_stats: {
      ...(pids?.current ? { current: pids.current } : {}),
      ...(pids?.limit ? { limit: pids.limit } : {}),
    },
    blkio_stats: {
      io_service_bytes_recursive: blkio ? blkio.ioServiceBytes : null,
      io_serviced_recursive: blkio?.ioServiced ?? null,
      io_queue_recursive: null,
      io_service_time_recursive: null,
      io_wait_time_recursive: null,
      io_merged_recursive: null,
      io_time_recursive: null,
      sectors_recursive: null,
    } as unknown as ContainerBlkioStats, // dockerd sends the lists it lacks as null
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuStats(s),
    precpu_stats: cpuStats(frame.previous),
    memory_stats: m
      ? {
          usage: m.usage,
          ...(m.maxUsage !== undefined ? { max_usage: m.maxUsage } : {}),
          stats: m.stats,
          ...(m.failcnt !== undefined ? { failcnt: m.failcnt } : {}),
          ...(m.limit !== undefined ? { limit: m.limit } : {}),
        }
      : {},
    ...(s?.networks ? { networks: s.networks } : {}),
  };
}
