/**
 * `--pid container:<x>`, `--ipc container:<x>|none` and `--cgroupns private` at start: the
 * namespaces a container joins through the other container's `/proc/<pid>/ns/…`, with Docker's
 * messages when that container is not there or not running. A remapped container that joins
 * another's namespaces (net, pid or ipc) also joins its user namespace, as Docker does.
 */
import { existsSync, readlinkSync } from 'node:fs';
import { BerthError, invalidParameter, isKind, systemError } from '../../errors/index.js';
import type { Spec } from '../../oci/types.js';
import type { ContainerContext, Stored } from './context.js';
import type { SecurityConfig } from './security-options.js';
import type { ContainerConfig } from './types.js';
import { usernsFor } from './userns.js';

/** nsfs paths to join, by namespace type. */
export interface NamespaceJoins {
  pid?: string;
  ipc?: string;
  /** The donors' user namespace, for a remapped container (see {@link resolveUserJoin}). */
  user?: string;
}

/** The container a `container:<x>` mode names, or undefined for other modes. */
export const joinedContainer = (mode: string): string | undefined =>
  mode.startsWith('container:') ? mode.slice('container:'.length) : undefined;

/**
 * Prefixes a lookup error's message the way Docker wraps it. Like dockerd, which wraps every
 * failure to build a start's spec as errdefs.System, the result is a System error (500).
 */
function wrap(e: unknown, prefix: string): never {
  if (e instanceof BerthError) throw systemError(`${prefix}: ${e.message}`, e);
  throw e;
}

/** The running donor's pid; Docker's errors when it is not running or restarting. */
function runningPid(ctx: ContainerContext, donor: Stored): number {
  const status = ctx.status(donor);
  if (status === 'restarting') {
    throw systemError(`Container ${donor.id} is restarting, wait until the container is running`);
  }
  if ((status !== 'running' && status !== 'paused') || donor.state.pid <= 0) {
    throw systemError(`container ${donor.id} is not running`);
  }
  return donor.state.pid;
}

function nsPath(pid: number, type: string, donor: Stored): string {
  const p = `/proc/${pid}/ns/${type}`;
  // The stored pid is the donor's init; gone means it exited and the monitor has not caught up.
  if (!existsSync(p)) throw systemError(`container ${donor.id} is not running`);
  return p;
}

/**
 * Looks up the containers `sec` joins and returns their namespace paths. Must run while `self`
 * is locked; the donors are read without their locks (a racing stop makes runc fail to open the
 * path, which fails the start cleanly).
 */
export function resolveNamespaceJoins(
  ctx: ContainerContext,
  self: string,
  sec: SecurityConfig | undefined,
): NamespaceJoins {
  const joins: NamespaceJoins = {};
  const pidTarget = joinedContainer(sec?.pidMode ?? '');
  if (pidTarget !== undefined) {
    const prefix = `cannot join PID of a non running container: ${pidTarget}`;
    let donor: Stored;
    try {
      donor = ctx.lookup(pidTarget);
    } catch (e) {
      wrap(e, prefix);
    }
    if (donor.id === self) throw invalidParameter('cannot join own PID namespace');
    joins.pid = nsPath(runningPid(ctx, donor), 'pid', donor);
  }
  const ipcTarget = joinedContainer(sec?.ipcMode ?? '');
  if (ipcTarget !== undefined) {
    const prefix = `can't join IPC of container ${ipcTarget}`;
    try {
      const donor = ctx.lookup(ipcTarget);
      if (donor.id === self) throw invalidParameter('cannot join own IPC namespace');
      const pid = runningPid(ctx, donor);
      const mode = donor.config.security?.ipcMode ?? 'private';
      if (mode !== 'shareable' && mode !== 'host' && !mode.startsWith('container:')) {
        throw systemError(
          `${prefix}: non-shareable IPC (hint: use IpcMode:shareable for the donor container)`,
        );
      }
      joins.ipc = nsPath(pid, 'ipc', donor);
    } catch (e) {
      if (isKind(e, 'System') && (e as Error).message.startsWith(prefix)) throw e;
      wrap(e, prefix);
    }
  }
  return joins;
}

/**
 * A remapped container that joins the net, pid or ipc namespace of another container must also
 * join that container's user namespace: its own would not own them, so `runc exec` (which joins
 * the container's user namespace first) could not enter them. Returns `/proc/<pid>/ns/user` of
 * the donor's init, or undefined when there is nothing to join. Both use the daemon-wide
 * mapping, so the spec keeps it (runc 1.1.5 requires mappings even for a joined user namespace).
 *
 * Refuses (400) a remapped container joining a `--userns host` one (its user namespace is the
 * host's) and donors in different user namespaces. Donors that are missing or not running are
 * skipped: the pid, ipc and network resolutions report them with Docker's messages.
 */
export function resolveUserJoin(
  ctx: ContainerContext,
  self: string,
  config: Pick<ContainerConfig, 'security' | 'networkMode'>,
): string | undefined {
  if (usernsFor(ctx.deps.userns, config) === undefined) return undefined;
  const targets: [string, string | undefined][] = [
    ['network', joinedContainer(config.networkMode)],
    ['PID', joinedContainer(config.security?.pidMode ?? '')],
    ['IPC', joinedContainer(config.security?.ipcMode ?? '')],
  ];
  const found = new Map<string, string>(); // user ns identity → /proc path
  for (const [kind, ref] of targets) {
    if (ref === undefined) continue;
    let donor: Stored;
    try {
      donor = ctx.lookup(ref);
    } catch {
      continue;
    }
    if (donor.id === self) continue;
    if (usernsFor(ctx.deps.userns, donor.config) === undefined) {
      throw invalidParameter(
        `cannot join the ${kind} namespace of container ${ref}: it runs without a user namespace (--userns host) and this container is remapped; run this container with --userns host too`,
      );
    }
    const status = ctx.status(donor);
    if ((status !== 'running' && status !== 'paused') || donor.state.pid <= 0) continue;
    const path = `/proc/${donor.state.pid}/ns/user`;
    let ident: string;
    try {
      ident = readlinkSync(path);
    } catch {
      continue; // exited meanwhile: the start fails on its namespaces
    }
    found.set(ident, path);
  }
  if (found.size > 1) {
    throw invalidParameter(
      'cannot join namespaces of containers that run in different user namespaces',
    );
  }
  return [...found.values()][0];
}

/**
 * Applies the joins and the IPC/cgroup namespace modes to a spec built by dockerDefaultSpec
 * (after applySecurity, before applyUserns): joined namespaces get their path (a joined user
 * namespace keeps it through applyUserns, which adds the mappings); `--ipc none` keeps a private IPC
 * namespace without a /dev/shm mount; `--cgroupns private` adds a cgroup namespace.
 */
export function applyNamespaceModes(
  spec: Spec,
  sec: SecurityConfig | undefined,
  joins: NamespaceJoins,
): Spec {
  const linux = (spec.linux ??= {});
  const list = (linux.namespaces ??= []);
  for (const type of ['pid', 'ipc', 'user'] as const) {
    const path = joins[type];
    if (path === undefined) continue;
    const at = list.findIndex((n) => n.type === type);
    if (at === -1) list.push({ type, path });
    else list[at] = { type, path };
  }
  if (sec?.ipcMode === 'none') {
    spec.mounts = (spec.mounts ?? []).filter((m) => m.destination !== '/dev/shm');
  }
  if (sec?.cgroupnsMode === 'private' && !list.some((n) => n.type === 'cgroup')) {
    list.push({ type: 'cgroup' });
  }
  return spec;
}
