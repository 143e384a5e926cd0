import { resourcesOf, linuxOf, type SpecOpt } from '../spec-opt.js';
import type { LinuxCpu, LinuxMemory } from '../types.js';
import { requireAbsolutePath, requireInt } from '../validate.js';
import { invalidParameter } from '../../errors/index.js';

/**
 * Sets `linux.cgroupsPath`. It must be absolute (P2: a relative path makes runc nest the memory
 * cgroup under the caller's own cgroup on this host), e.g. `/berth/<id>`.
 */
export function withCgroupsPath(path: string): SpecOpt {
  requireAbsolutePath('cgroups path', path);
  if (path === '/' || path.endsWith('/')) throw invalidParameter(`invalid cgroups path: ${path}`);
  return (spec) => {
    linuxOf(spec).cgroupsPath = path;
  };
}

/** Resource limits, in runc's units. Omitted fields stay unset (unlimited). */
export interface ResourcesInput {
  memory?: {
    /** Bytes. */
    limit?: number;
    /** Bytes; soft limit. */
    reservation?: number;
    /** Memory plus swap in bytes; -1 is unlimited swap. */
    swap?: number;
  };
  /** Maximum number of tasks; -1 is unlimited. */
  pidsLimit?: number;
  cpu?: {
    /** Relative weight (cgroup v1 cpu.shares, 2–262144). */
    shares?: number;
    /** CFS quota in µs per period; -1 is unlimited. */
    quota?: number;
    /** CFS period in µs (1000–1000000). */
    period?: number;
    /** cpuset, e.g. "0-1". */
    cpus?: string;
    /** Memory nodes, e.g. "0". */
    mems?: string;
  };
  /** cgroup v1 only: do not OOM-kill, pause allocation instead. */
  disableOomKiller?: boolean;
}

const MAX = Number.MAX_SAFE_INTEGER;
const CPUSET = /^\d+(-\d+)?(,\d+(-\d+)?)*$/;

/** Sets memory, pids and cpu limits, leaving the devices rules and unset fields alone. */
export function withResources(input: ResourcesInput): SpecOpt {
  const memory: LinuxMemory = {};
  const m = input.memory ?? {};
  if (m.limit !== undefined) requireInt('memory limit', (memory.limit = m.limit), 0, MAX);
  if (m.reservation !== undefined) {
    requireInt('memory reservation', (memory.reservation = m.reservation), 0, MAX);
  }
  if (m.swap !== undefined) requireInt('memory swap', (memory.swap = m.swap), -1, MAX);
  if (input.disableOomKiller === true) memory.disableOOMKiller = true;
  const cpu: LinuxCpu = {};
  const c = input.cpu ?? {};
  if (c.shares !== undefined) requireInt('cpu shares', (cpu.shares = c.shares), 2, 262144);
  if (c.quota !== undefined) requireInt('cpu quota', (cpu.quota = c.quota), -1, MAX);
  if (c.period !== undefined) requireInt('cpu period', (cpu.period = c.period), 1000, 1_000_000);
  if (c.cpus !== undefined) {
    if (!CPUSET.test(c.cpus)) throw invalidParameter(`invalid cpuset: "${c.cpus}"`);
    cpu.cpus = c.cpus;
  }
  if (c.mems !== undefined) {
    if (!CPUSET.test(c.mems)) throw invalidParameter(`invalid cpuset mems: "${c.mems}"`);
    cpu.mems = c.mems;
  }
  if (input.pidsLimit !== undefined) requireInt('pids limit', input.pidsLimit, -1, MAX);
  return (spec) => {
    const r = resourcesOf(spec);
    if (Object.keys(memory).length > 0) r.memory = { ...r.memory, ...memory };
    if (Object.keys(cpu).length > 0) r.cpu = { ...r.cpu, ...cpu };
    if (input.pidsLimit !== undefined) r.pids = { limit: input.pidsLimit };
  };
}
