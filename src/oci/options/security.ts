import { invalidParameter } from '../../errors/index.js';
import { linuxOf, processOf, resourcesOf, type SpecOpt } from '../spec-opt.js';
import type { LinuxDeviceCgroup, LinuxSeccomp } from '../types.js';
import { requireNoNul } from '../validate.js';

/** /proc and /sys entries runc hides (bind of /dev/null or an empty ro tmpfs). */
export const DEFAULT_MASKED_PATHS: readonly string[] = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
];

/** /proc entries runc remounts read-only. */
export const DEFAULT_READONLY_PATHS: readonly string[] = [
  '/proc/bus',
  '/proc/fs',
  '/proc/irq',
  '/proc/sys',
  '/proc/sysrq-trigger',
];

const allowChar = (major: number, minor: number): LinuxDeviceCgroup => ({
  allow: true,
  type: 'c',
  major,
  minor,
  access: 'rwm',
});

/**
 * Docker's devices-cgroup rules, in its order: deny everything, then allow zero (1:5), null (1:3),
 * urandom (1:9), random (1:8), tty (5:0) and console (5:1), and deny /dev/net/tun (10:229).
 */
export const DEFAULT_DEVICE_RULES: readonly LinuxDeviceCgroup[] = [
  { allow: false, access: 'rwm' },
  allowChar(1, 5),
  allowChar(1, 3),
  allowChar(1, 9),
  allowChar(1, 8),
  allowChar(5, 0),
  allowChar(5, 1),
  { allow: false, type: 'c', major: 10, minor: 229, access: 'rwm' },
];

/** Docker's namespaced net sysctls: unprivileged low ports and ping sockets for every gid. */
export const DEFAULT_NET_SYSCTLS: Readonly<Record<string, string>> = {
  'net.ipv4.ip_unprivileged_port_start': '0',
  'net.ipv4.ping_group_range': '0 2147483647',
};

/** Options of `withDefaultSecurity`. */
export interface DefaultSecurityOptions {
  /**
   * The container shares the host's network namespace: Docker then sets no net.* sysctls
   * (runc refuses them outside a private netns).
   */
  hostNetwork?: boolean;
}

/**
 * Docker's confinement besides capabilities and seccomp: masked and read-only paths, the
 * devices-cgroup allow list (replacing any), default sysctls (keys already set are kept, so
 * user sysctls win whatever the order) and oomScoreAdj 0.
 */
export function withDefaultSecurity(opts: DefaultSecurityOptions = {}): SpecOpt {
  return (spec) => {
    const linux = linuxOf(spec);
    linux.maskedPaths = [...DEFAULT_MASKED_PATHS];
    linux.readonlyPaths = [...DEFAULT_READONLY_PATHS];
    resourcesOf(spec).devices = DEFAULT_DEVICE_RULES.map((d) => ({ ...d }));
    if (opts.hostNetwork !== true) linux.sysctl = { ...DEFAULT_NET_SYSCTLS, ...linux.sysctl };
    processOf(spec).oomScoreAdj = 0;
  };
}

const SYSCTL_KEY = /^[a-z0-9_]+(\.[a-zA-Z0-9_\-:]+)+$/;

/** Merges sysctls (later values win). Keys must look like `net.ipv4.x`; values must be NUL-free. */
export function withSysctls(sysctls: Readonly<Record<string, string>>): SpecOpt {
  for (const [k, v] of Object.entries(sysctls)) {
    if (!SYSCTL_KEY.test(k)) throw invalidParameter(`invalid sysctl name: "${k}"`);
    requireNoNul('sysctl value', v);
  }
  return (spec) => {
    if (Object.keys(sysctls).length === 0) return;
    const linux = linuxOf(spec);
    linux.sysctl = { ...linux.sysctl, ...sysctls };
  };
}

/**
 * Sets the resolved seccomp filter (see `resolveSeccomp`); `undefined` removes it, which is
 * Docker's `seccomp=unconfined`.
 */
export function withSeccomp(seccomp: LinuxSeccomp | undefined): SpecOpt {
  const copy = seccomp === undefined ? undefined : structuredClone(seccomp);
  return (spec) => {
    const linux = linuxOf(spec);
    if (copy === undefined) delete linux.seccomp;
    else linux.seccomp = structuredClone(copy);
  };
}
