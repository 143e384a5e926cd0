export type { BlkioEntry, CgroupStats, CgroupStatsReader } from './types.js';
export { cgroupStatsReader, detectCgroupVersion, type CgroupVersion } from './detect.js';
export { readHostCpu, parseProcStat, type HostCpu } from './host-cpu.js';
export { readNetDev, parseNetDev, type InterfaceStats } from './net-dev.js';
