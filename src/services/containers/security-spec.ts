/**
 * Turns a container's stored security options into the spec: the fields `dockerDefaultSpec`
 * takes, then `applySecurity` for what it has no input for (privileged, system paths, host
 * pid/ipc/uts namespaces).
 */
import type { DockerSpecInput } from '../../oci/docker-defaults.js';
import type { Rlimit, Spec } from '../../oci/types.js';
import { parseSecurityOpts, type SecurityConfig } from './security-options.js';

type SecurityInput = Pick<
  DockerSpecInput,
  'capAdd' | 'capDrop' | 'seccomp' | 'rlimits' | 'noNewPrivileges' | 'sysctls' | 'readonlyRootfs'
>;

/** -1 (unlimited) becomes the largest value; `dockerDefaultSpec` clamps it to the host's. */
const limitOf = (v: number): number => (v === -1 ? Number.MAX_SAFE_INTEGER : v);

/**
 * The `dockerDefaultSpec` fields for these options. Privileged asks for every capability and no
 * seccomp filter; the spec builder drops the capabilities the engine itself lacks and lowers
 * rlimits to the host's hard limits, so --privileged runs where root has no CAP_SYS_RESOURCE.
 */
export function securitySpecInput(sec: SecurityConfig | undefined): SecurityInput {
  if (sec === undefined) return {};
  const opts = parseSecurityOpts(sec.securityOpt);
  const rlimits: Rlimit[] = sec.ulimits.map((u) => {
    const hard = limitOf(u.hard);
    return { type: `RLIMIT_${u.name.toUpperCase()}`, hard, soft: Math.min(limitOf(u.soft), hard) };
  });
  return {
    capAdd: sec.privileged ? ['ALL'] : sec.capAdd,
    capDrop: sec.privileged ? [] : sec.capDrop,
    seccomp: sec.privileged ? 'unconfined' : opts.seccomp,
    rlimits,
    noNewPrivileges: opts.noNewPrivileges,
    sysctls: sec.sysctls,
    readonlyRootfs: sec.readonlyRootfs,
  };
}

/**
 * Applies, in place, what `dockerDefaultSpec` has no input for:
 * - privileged: no masked or read-only paths, writable /sys and /sys/fs/cgroup, and every device
 *   allowed in the devices cgroup. Deliberate difference from Docker: the host's device nodes
 *   are not copied into /dev (the default device list stays); a privileged process may mknod them.
 * - `systempaths=unconfined` (or explicit MaskedPaths/ReadonlyPaths): those lists.
 * - pid/ipc/uts `host`: the namespace is not created; with host IPC /dev/shm is the host's, with
 *   host UTS no hostname is set (runc refuses one without a private UTS namespace).
 * Returns the same spec.
 */
export function applySecurity(spec: Spec, sec: SecurityConfig | undefined): Spec {
  if (sec === undefined) return spec;
  if (sec.oomScoreAdj !== undefined && spec.process) spec.process.oomScoreAdj = sec.oomScoreAdj;
  const linux = (spec.linux ??= {});
  const opts = parseSecurityOpts(sec.securityOpt);
  if (sec.maskedPaths !== null) linux.maskedPaths = [...sec.maskedPaths];
  if (sec.readonlyPaths !== null) linux.readonlyPaths = [...sec.readonlyPaths];
  if (sec.privileged || opts.systemPathsUnconfined) {
    linux.maskedPaths = [];
    linux.readonlyPaths = [];
  }
  if (sec.privileged) {
    (linux.resources ??= {}).devices = [{ allow: true, access: 'rwm' }];
    for (const m of spec.mounts ?? []) {
      if (m.destination === '/sys' || m.destination === '/sys/fs/cgroup') {
        m.options = (m.options ?? []).filter((o) => o !== 'ro').concat('rw');
      }
    }
  }
  const hostNs = new Set<string>();
  if (sec.pidMode === 'host') hostNs.add('pid');
  if (sec.ipcMode === 'host') hostNs.add('ipc');
  if (sec.utsMode === 'host') hostNs.add('uts');
  linux.namespaces = (linux.namespaces ?? []).filter((n) => !hostNs.has(n.type));
  if (sec.utsMode === 'host') {
    delete spec.hostname;
    delete spec.domainname;
    if (linux.sysctl) delete linux.sysctl['kernel.domainname'];
  }
  if (sec.ipcMode === 'host') {
    spec.mounts = (spec.mounts ?? []).map((m) =>
      m.destination === '/dev/shm'
        ? {
            destination: '/dev/shm',
            type: 'bind',
            source: '/dev/shm',
            options: ['rbind', 'rprivate'],
          }
        : m,
    );
  }
  return spec;
}
