import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupV1Reader } from './stats-v1.js';
import { cgroupV2Reader } from './stats-v2.js';
import type { CgroupStatsReader } from './types.js';

/** The cgroup layout Berth reads stats from. */
export type CgroupVersion = '1' | '2';

/**
 * The version of the cgroup mount at `root`: v2 when `root` itself is the unified hierarchy
 * (it has `cgroup.controllers`); otherwise v1, including hybrid hosts, where runc puts every
 * controller Berth reads in the v1 hierarchies and `unified/` holds none of them.
 */
export function detectCgroupVersion(root = '/sys/fs/cgroup'): CgroupVersion {
  return existsSync(join(root, 'cgroup.controllers')) ? '2' : '1';
}

/** A stats reader for the cgroup mount at `root`, chosen by its version. */
export function cgroupStatsReader(
  root = '/sys/fs/cgroup',
  version: CgroupVersion = detectCgroupVersion(root),
): CgroupStatsReader {
  return version === '2' ? cgroupV2Reader(root) : cgroupV1Reader(root);
}
