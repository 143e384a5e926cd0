import { cpus } from 'node:os';
import { invalidParameter } from '../../errors/index.js';
import { checkBlkio, type BlkioResources } from './blkio.js';
import { checkCgroupParent } from './cgroup-options.js';
import {
  devicesFromMapping,
  normalizeDeviceMapping,
  parseDeviceCgroupRule,
  type DeviceMapping,
} from './devices.js';

/**
 * Docker's resource limits of a container, as the user gave them (0, '' or [] = unset). Rows
 * stored before a field existed lack it: read them as `{ ...noResources, ...stored }`.
 */
export interface ContainerResources extends BlkioResources {
  memory: number;
  memorySwap: number;
  memoryReservation: number;
  nanoCpus: number;
  cpuShares: number;
  cpuQuota: number;
  cpuPeriod: number;
  cpusetCpus: string;
  cpusetMems: string;
  pidsLimit: number;
  oomKillDisable: boolean;
  /** `--memory-swappiness` 0–100; -1 is unset (the kernel's default; older rows lack it). */
  memorySwappiness: number;
  /** `--device`: host device nodes (or directories of them) made available inside. */
  devices: DeviceMapping[];
  /** `--device-cgroup-rule`: extra devices-cgroup allow rules ('c 1:3 rwm'). */
  deviceCgroupRules: string[];
  /** `--cgroup-parent`: '' is the daemon's parent (see cgroup-options.ts). */
  cgroupParent: string;
}

/** No limits. */
export const noResources: ContainerResources = {
  memory: 0,
  memorySwap: 0,
  memoryReservation: 0,
  nanoCpus: 0,
  cpuShares: 0,
  cpuQuota: 0,
  cpuPeriod: 0,
  cpusetCpus: '',
  cpusetMems: '',
  pidsLimit: 0,
  oomKillDisable: false,
  memorySwappiness: -1,
  blkioWeight: 0,
  blkioWeightDevice: [],
  blkioDeviceReadBps: [],
  blkioDeviceWriteBps: [],
  blkioDeviceReadIOps: [],
  blkioDeviceWriteIOps: [],
  devices: [],
  deviceCgroupRules: [],
  cgroupParent: '',
};

const cpuset = /^\d+(-\d+)?(,\d+(-\d+)?)*$/;

/** The highest cpu number a cpuset names. */
function maxCpu(set: string): number {
  return Math.max(...set.split(/[,-]/).map(Number));
}

/**
 * Checks limits with Docker's rules and messages (daemon/daemon_unix.go's verifyPlatformContainerResources).
 * `hostCpus` is the number of cpus this machine has. With `hostDevices` (create) the device
 * paths are also looked up on the host; update passes false and does not re-check stored ones.
 */
export function checkResources(
  r: ContainerResources,
  hostCpus = cpus().length,
  opts: { hostDevices: boolean } = { hostDevices: true },
): void {
  checkBlkio(r, { devices: opts.hostDevices });
  checkCgroupParent(r.cgroupParent);
  for (const rule of r.deviceCgroupRules) parseDeviceCgroupRule(rule);
  for (const m of r.devices) {
    const normalized = normalizeDeviceMapping(m);
    if (opts.hostDevices) devicesFromMapping(normalized);
  }
  if (r.memory !== 0 && r.memory < 6 * 1024 * 1024) {
    throw invalidParameter('Minimum memory limit allowed is 6MB');
  }
  if (r.memorySwap > 0 && r.memory === 0) {
    throw invalidParameter(
      'You should always set the Memory limit when using Memoryswap limit, see usage',
    );
  }
  if (r.memorySwap > 0 && r.memorySwap < r.memory) {
    throw invalidParameter(
      'Minimum memoryswap limit should be larger than memory limit, see usage',
    );
  }
  if (r.memory > 0 && r.memoryReservation > r.memory) {
    throw invalidParameter(
      'Minimum memory limit can not be less than memory reservation limit, see usage',
    );
  }
  const sw = r.memorySwappiness;
  if (!Number.isInteger(sw) || (sw !== -1 && (sw < 0 || sw > 100))) {
    throw invalidParameter(`Invalid value: ${sw}, valid memory swappiness range is 0-100`);
  }
  if (r.memoryReservation !== 0 && r.memoryReservation < 6 * 1024 * 1024) {
    throw invalidParameter('Minimum memory reservation allowed is 6MB');
  }
  if (r.nanoCpus !== 0 && (r.cpuPeriod !== 0 || r.cpuQuota !== 0)) {
    throw invalidParameter(
      r.cpuPeriod !== 0
        ? 'Conflicting options: Nano CPUs and CPU Period cannot both be set'
        : 'Conflicting options: Nano CPUs and CPU Quota cannot both be set',
    );
  }
  if (r.nanoCpus < 0 || r.nanoCpus > hostCpus * 1e9) {
    throw invalidParameter(
      `Range of CPUs is from 0.01 to ${hostCpus}.00, as there are only ${hostCpus} CPUs available`,
    );
  }
  if (r.cpuPeriod !== 0 && (r.cpuPeriod < 1000 || r.cpuPeriod > 1_000_000)) {
    throw invalidParameter(
      'CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)',
    );
  }
  if (r.cpuQuota !== 0 && r.cpuQuota !== -1 && r.cpuQuota < 1000) {
    throw invalidParameter('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  }
  if (r.cpuShares < 0) throw invalidParameter('invalid CPU shares: must not be negative');
  for (const [what, set] of [
    ['cpuset cpus', r.cpusetCpus],
    ['cpuset mems', r.cpusetMems],
  ] as const) {
    if (set === '') continue;
    if (!cpuset.test(set)) throw invalidParameter(`Invalid value ${set} for ${what}`);
  }
  if (r.cpusetCpus !== '' && maxCpu(r.cpusetCpus) >= hostCpus) {
    throw invalidParameter(
      `Requested CPUs are not available - requested ${r.cpusetCpus}, available: 0-${hostCpus - 1}`,
    );
  }
}

/** The limits in runc's units for the OCI spec (and `runc update`); unset fields are left out. */
export function runtimeResources(r: ContainerResources): {
  memory?: { limit?: number; reservation?: number; swap?: number };
  pidsLimit?: number;
  cpu?: { shares?: number; quota?: number; period?: number; cpus?: string; mems?: string };
  disableOomKiller?: boolean;
} {
  const memory: { limit?: number; reservation?: number; swap?: number } = {};
  if (r.memory > 0) {
    memory.limit = r.memory;
    // Docker's default: as much swap as memory (memory+swap = 2 × memory); -1 is unlimited.
    memory.swap = r.memorySwap === 0 ? r.memory * 2 : r.memorySwap;
  }
  if (r.memoryReservation > 0) memory.reservation = r.memoryReservation;
  const cpu: { shares?: number; quota?: number; period?: number; cpus?: string; mems?: string } =
    {};
  if (r.cpuShares > 0) cpu.shares = Math.min(Math.max(r.cpuShares, 2), 262144);
  if (r.nanoCpus > 0) {
    cpu.period = 100_000;
    cpu.quota = Math.round((r.nanoCpus * 100_000) / 1e9);
  }
  if (r.cpuPeriod > 0) cpu.period = r.cpuPeriod;
  if (r.cpuQuota !== 0) cpu.quota = r.cpuQuota;
  if (r.cpusetCpus !== '') cpu.cpus = r.cpusetCpus;
  if (r.cpusetMems !== '') cpu.mems = r.cpusetMems;
  return {
    ...(Object.keys(memory).length > 0 ? { memory } : {}),
    ...(Object.keys(cpu).length > 0 ? { cpu } : {}),
    ...(r.pidsLimit > 0 ? { pidsLimit: r.pidsLimit } : {}),
    ...(r.oomKillDisable ? { disableOomKiller: true } : {}),
  };
}
