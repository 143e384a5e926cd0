import { invalidParameter } from '../errors/index.js';
import { adjustCapabilities, DEFAULT_CAPABILITIES } from './capabilities.js';
import { dockerEnv } from './env.js';
import { withHostLimits, type HostLimits } from './host-limits.js';
import { dockerDefaultProfile } from './seccomp/default-profile.js';
import type { SeccompProfile } from './seccomp/profile.js';
import { resolveSeccomp, type SeccompArch } from './seccomp/resolve.js';
import {
  buildSpec,
  withAnnotations,
  withCapabilities,
  withCgroupsPath,
  withDefaultMounts,
  withDefaultSecurity,
  withHostname,
  withDomainname,
  withMounts,
  withNamespaces,
  withNoNewPrivileges,
  withProcess,
  withResources,
  withRlimits,
  withRoot,
  withSeccomp,
  withSysctls,
  type ResourcesInput,
  type SpecOpt,
} from './spec-options.js';
import type { ConsoleSize, Mount, Rlimit, Spec, User } from './types.js';
import { requireAbsolutePath } from './validate.js';

/** Everything `dockerDefaultSpec` needs to build a `docker run` container's config.json. */
export interface DockerSpecInput {
  /** Container id; names its cgroup (`<cgroupParent>/<id>`). */
  id: string;
  /** Absolute path of the prepared root filesystem (e.g. the overlay's merged dir). */
  rootfs: string;
  readonlyRootfs?: boolean;
  args: string[];
  /** The image env overlaid with the container's (`mergeEnv`); PATH/HOSTNAME/TERM are added. */
  env: string[];
  /** Working directory; '' means '/'. */
  cwd: string;
  user: User;
  hostname: string;
  /** `--domainname` (empty: none). */
  domainname?: string;
  tty: boolean;
  consoleSize?: ConsoleSize;
  /** Absolute cgroup parent, e.g. '/berth'. */
  cgroupParent: string;
  /** A prepared netns to join, the host's, or a fresh empty one (--network none). */
  networkNamespace: { path: string } | 'host' | 'none-new';
  /** Extra mounts (volumes, /etc/hosts, /etc/hostname, /etc/resolv.conf binds). */
  mounts: Mount[];
  /** /dev/shm size in bytes. */
  shmSize: number;
  /** The engine's own privileges; caps and rlimits are clamped to them (P1). */
  hostLimits: HostLimits;
  /** Host kernel version, for the seccomp profile's minKernel conditions. */
  kernel: { major: number; minor: number };
  /** Host architecture for the seccomp archMap; default x86_64. */
  arch?: SeccompArch;
  capAdd?: string[];
  capDrop?: string[];
  /**
   * Default: moby's default profile. A custom profile must come from `parseSeccompProfile`;
   * 'unconfined' writes no filter.
   */
  seccomp?: 'default' | 'unconfined' | SeccompProfile;
  resources?: ResourcesInput;
  rlimits?: Rlimit[];
  noNewPrivileges?: boolean;
  sysctls?: Record<string, string>;
  annotations?: Record<string, string>;
}

const CONTAINER_ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;

/**
 * Docker 20.10's config.json for a `docker run`, built from composable options. Deliberate
 * differences from Docker: no libnetwork-setkey prestart hook (networking is set up before
 * start), cgroupsPath `<cgroupParent>/<id>`, zero-valued resources are omitted, and caps and
 * rlimits the engine does not hold are dropped (see `clampToHost`). The seccomp filter is
 * resolved for the final capability set, as Docker resolves it for the container's caps.
 */
export function dockerDefaultSpec(input: DockerSpecInput): Spec {
  if (!CONTAINER_ID.test(input.id)) throw invalidParameter(`invalid container id: ${input.id}`);
  requireAbsolutePath('cgroup parent', input.cgroupParent);
  const parent = input.cgroupParent.replace(/\/+$/, '');
  const net = input.networkNamespace;
  const hostNetwork = net === 'host';
  const opts: SpecOpt[] = [
    withRoot(input.rootfs, input.readonlyRootfs === true),
    withProcess({
      args: input.args,
      env: dockerEnv({ hostname: input.hostname, tty: input.tty, env: input.env }),
      cwd: input.cwd === '' ? '/' : input.cwd,
      user: input.user,
      terminal: input.tty,
      ...(input.consoleSize === undefined ? {} : { consoleSize: input.consoleSize }),
    }),
    withHostname(input.hostname),
    withDomainname(input.domainname ?? ''),
    withDefaultMounts({ shmSize: input.shmSize }),
    withMounts(input.mounts),
    withNamespaces({ network: net === 'none-new' ? 'new' : net }),
    withCapabilities(
      adjustCapabilities(DEFAULT_CAPABILITIES, input.capAdd ?? [], input.capDrop ?? []),
    ),
    withDefaultSecurity({ hostNetwork }),
    withSysctls(input.sysctls ?? {}),
    withCgroupsPath(`${parent}/${input.id}`),
    withResources(input.resources ?? {}),
    withRlimits(input.rlimits ?? []),
    withNoNewPrivileges(input.noNewPrivileges === true),
    withAnnotations(input.annotations ?? {}),
    withHostLimits(input.hostLimits),
  ];
  const spec = buildSpec(...opts);
  const choice = input.seccomp ?? 'default';
  if (choice !== 'unconfined') {
    const profile = choice === 'default' ? dockerDefaultProfile() : choice;
    const caps = spec.process?.capabilities?.bounding ?? [];
    withSeccomp(
      resolveSeccomp(profile, { caps, arch: input.arch ?? 'x86_64', kernel: input.kernel }),
    )(spec);
  }
  return spec;
}
