/** One block-device counter, as Docker's BlkioStatEntry. */
export interface BlkioEntry {
  major: number;
  minor: number;
  /** `Read`/`Write`/... on cgroup v1 (kernel casing), `read`/`write` on v2 (as dockerd). */
  op: string;
  value: number;
}

/**
 * A container's resource counters read from its cgroup, independent of the cgroup version.
 * Times are nanoseconds; sizes are bytes. Fields a version does not have are absent.
 */
export interface CgroupStats {
  cpu: {
    totalNs: number;
    /** cgroup v1 only (cpuacct.usage_percpu). */
    perCpuNs?: number[];
    userNs: number;
    kernelNs: number;
    throttling: { periods: number; throttledPeriods: number; throttledTimeNs: number };
  };
  memory: {
    usage: number;
    /** cgroup v1 only. */
    maxUsage?: number;
    /** cgroup v1 only. */
    failcnt?: number;
    /** Absent when unlimited. */
    limit?: number;
    stats: Record<string, number>;
  };
  pids: { current?: number; /** 0 when unlimited, as Docker reports it. */ limit?: number };
  blkio: {
    ioServiceBytes: BlkioEntry[];
    /** cgroup v1 only. */
    ioServiced?: BlkioEntry[];
  };
}

/** Reads the stats of the cgroup at `path` (e.g. `/berth/<id>`); rejects when it is gone. */
export type CgroupStatsReader = (path: string) => Promise<CgroupStats>;
