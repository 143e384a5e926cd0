/**
 * `--userns-remap` for containers: which ones get a user namespace, the create-time conflicts
 * Docker refuses, and what the spec and the container's files need for the remapped root.
 */
import { chown } from 'node:fs/promises';
import { invalidParameter, systemError } from '../../errors/index.js';
import { execFile } from '../../lib/exec.js';
import { withUserNamespace } from '../../oci/options/namespaces.js';
import type { Spec } from '../../oci/types.js';
import type { ContainerConfig } from './types.js';

/** A remapped daemon's mappings (from /etc/subuid and /etc/subgid) and its container root. */
export interface UsernsSettings {
  uidMappings: { containerID: number; hostID: number; size: number }[];
  gidMappings: { containerID: number; hostID: number; size: number }[];
  rootUid: number;
  rootGid: number;
}

/** The settings when this container runs remapped: the daemon remaps and it did not opt out. */
export function usernsFor(
  settings: UsernsSettings | undefined,
  config: Pick<ContainerConfig, 'security'>,
): UsernsSettings | undefined {
  return config.security?.usernsMode === 'host' ? undefined : settings;
}

/**
 * Refuses, with Docker's messages, what cannot work inside a remapped user namespace: host
 * privileges and the host's pid or network namespace need `--userns host`.
 */
export function checkUsernsConflicts(
  config: Pick<ContainerConfig, 'security' | 'networkMode'>,
  settings: UsernsSettings | undefined,
): void {
  if (usernsFor(settings, config) === undefined) return;
  const sec = config.security;
  if (sec?.privileged === true) {
    throw invalidParameter(
      'privileged mode is incompatible with user namespaces.  You must run the container in the host namespace when running privileged mode',
    );
  }
  if (config.networkMode === 'host') {
    throw invalidParameter(
      "cannot share the host's network namespace when user namespaces are enabled",
    );
  }
  if (sec?.pidMode === 'host') {
    throw invalidParameter('cannot share the host PID namespace when user namespaces are enabled');
  }
}

/**
 * Adds the user namespace and its mappings to a built spec, and adapts what the kernel treats
 * differently inside it (`userSysctls`: the container's own `--sysctl`s, kept as asked):
 * - a user namespace already joined by path (applyNamespaceModes: the user namespace of the
 *   container whose namespaces this one joins) keeps its path; the mappings are still written,
 *   runc 1.1.5 needs them to compute the host root ids (it does not write them when joining).
 * - sysfs can only be mounted by the owner of the network namespace. A netns joined by path
 *   (`container:<x>`) belongs to another user namespace unless that one is joined too, so /sys
 *   becomes a read-only recursive bind of the host's /sys instead (what runc's rootless mode
 *   does; masked paths still apply). A new netns (runc makes it inside the user namespace) or
 *   one owned by the joined user namespace gets a real sysfs.
 * - `laterNetns`: a new netns the engine attaches after `runc create` (pinned at that path); its
 *   `net.*` sysctls are returned to be written then, when its interfaces exist.
 * - a read-only remount of the cgroup mount is refused in a user namespace (Docker clears the
 *   flag too); the hierarchies stay read-only through their own mounts' flags where runc sets them.
 */
export function applyUserns(
  spec: Spec,
  userns: UsernsSettings,
  userSysctls: Readonly<Record<string, string>> = {},
  laterNetns?: string,
): JoinedNetSysctls | undefined {
  const joinedUser = spec.linux?.namespaces?.find((n) => n.type === 'user')?.path;
  withUserNamespace(userns.uidMappings, userns.gidMappings)(spec);
  const userEntry = spec.linux?.namespaces?.find((n) => n.type === 'user');
  if (joinedUser !== undefined && userEntry) userEntry.path = joinedUser;
  // As Docker: no ping socket default in a user namespace (its gid range is not mapped there).
  const sysctl = spec.linux?.sysctl;
  if (sysctl && !('net.ipv4.ping_group_range' in userSysctls)) {
    delete sysctl['net.ipv4.ping_group_range'];
  }
  const netPath = spec.linux?.namespaces?.find((n) => n.type === 'network')?.path;
  const joinedNet = netPath !== undefined;
  spec.mounts = (spec.mounts ?? []).map((m) => {
    if (m.type === 'sysfs' && joinedNet && joinedUser === undefined) {
      return {
        destination: m.destination,
        type: 'bind',
        source: '/sys',
        options: ['rbind', 'nosuid', 'noexec', 'nodev', 'ro'],
      };
    }
    if (m.type === 'cgroup') return { ...m, options: (m.options ?? []).filter((o) => o !== 'ro') };
    return m;
  });
  const target = netPath ?? laterNetns;
  if (target === undefined) return undefined;
  // The container root may not write /proc/sys/net of a netns it does not own, and an interface's
  // keys need the interface: the engine sets those sysctls from the host (setNetnsSysctls).
  const all = spec.linux?.sysctl ?? {};
  const net = Object.entries(all).filter(([k]) => k.startsWith('net.'));
  if (spec.linux?.sysctl) {
    spec.linux.sysctl = Object.fromEntries(
      Object.entries(all).filter(([k]) => !k.startsWith('net.')),
    );
  }
  return { netnsPath: target, sysctls: Object.fromEntries(net) };
}

/** Network sysctls taken out of a remapped container's spec, for {@link setNetnsSysctls}. */
export interface JoinedNetSysctls {
  netnsPath: string;
  sysctls: Record<string, string>;
}

/** Writes the sysctls inside the prepared network namespace (keys were validated at create). */
export async function setNetnsSysctls(j: JoinedNetSysctls): Promise<void> {
  for (const [key, value] of Object.entries(j.sysctls)) {
    const r = await execFile(
      'nsenter',
      [`--net=${j.netnsPath}`, 'sysctl', '-q', '-w', `${key}=${value}`],
      {
        timeoutMs: 10_000,
      },
    );
    if (r.code !== 0) throw systemError(`sysctl ${key}=${value}: ${r.stderr.trim()}`);
  }
}

/**
 * Gives the remapped root what it must reach on the host: the container dir (mode 0710) becomes
 * group-owned by its gid so the bind-mount sources can be found, and the etc files it may write
 * (hosts, hostname, resolv.conf) are owned by it.
 */
export async function ownForUserns(
  userns: UsernsSettings,
  containerDir: string,
  files: readonly string[],
): Promise<void> {
  await chown(containerDir, 0, userns.rootGid);
  for (const f of files) await chown(f, userns.rootUid, userns.rootGid);
}
