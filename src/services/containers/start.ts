import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { conflict, invalidParameter, notModified, systemError } from '../../errors/index.js';
import { atomicWrite } from '../../lib/atomic-write.js';
import { rfc3339Nano } from '../../lib/time.js';
import { classifyStartError } from '../../drivers/runtime/runtime.js';
import { dockerDefaultSpec } from '../../oci/docker-defaults.js';
import { containerEventAttributes } from './event-attributes.js';
import type { ContainerContext, Stored } from './context.js';
import { hostnameOf, writeEtcFiles } from './etc-files.js';
import { isActive } from './state.js';
import { resolveGroupAdd, resolveUser } from './user.js';
import { applySecurity, securitySpecInput } from './security-spec.js';
import { noResources, runtimeResources } from './resources.js';
import { removeLocked } from './remove.js';
import {
  applyUserns,
  ownForUserns,
  setNetnsSysctls,
  usernsFor,
  type JoinedNetSysctls,
} from './userns.js';
import { finishNetwork, networkForStart } from './late-network.js';
import { startMounts, stopMounts } from './mounts/container-mounts.js';
import { containerCgroupParent } from './cgroup-options.js';
import { applyIsolation } from './isolation-spec.js';
import { applyNamespaceModes, resolveNamespaceJoins, resolveUserJoin } from './namespace-join.js';
import { DEFAULT_LOG_CONFIG, logSizeLimit, type LogConfig } from './log-config.js';

/**
 * Starts a container: mount its rootfs, write its spec, let conmon create it through the runtime,
 * connect waiting attach sessions, then start it. A failure leaves the container exited with
 * Docker's exit code (127 missing command, 126 not executable) and the runtime's message.
 */
export async function startContainer(
  ctx: ContainerContext,
  idOrName: string,
  opts: { byPolicy?: boolean } = {},
): Promise<void> {
  const { id } = ctx.lookup(idOrName);
  let autoRemoveAfterFailure = false;
  try {
    await ctx.mutex.run(id, async () => {
      const c = ctx.reload(id);
      const status = ctx.status(c);
      if (isActive(status)) throw notModified();
      if (status === 'removing' || status === 'dead') {
        throw conflict(`container ${id} is marked for removal and cannot be started`);
      }
      if (opts.byPolicy !== true) {
        // A start by the user ends any pending policy restart and clears a manual stop.
        ctx.restarts.forget(id);
        c.state.manuallyStopped = false;
      }
      try {
        await runStart(ctx, c);
      } catch (e) {
        autoRemoveAfterFailure = c.config.autoRemove;
        await recordStartFailure(ctx, c, e);
        throw e;
      }
    });
  } catch (e) {
    if (autoRemoveAfterFailure) await removeAfterFailedStart(ctx, id);
    const msg = (e as Error).message;
    const code = classifyStartError(msg);
    if (code === 126 || code === 127) throw invalidParameter(msg);
    throw e;
  }
}

async function runStart(ctx: ContainerContext, c: Stored): Promise<void> {
  const { deps } = ctx;
  // Joined containers first: a donor that is not running fails the start before any work.
  const joins = resolveNamespaceJoins(ctx, c.id, c.config.security);
  const userJoin = resolveUserJoin(ctx, c.id, c.config);
  if (userJoin !== undefined) joins.user = userJoin;
  const resources = { ...noResources, ...c.config.resources };
  const bundleDir = deps.paths.bundleDir(c.id);
  await rm(bundleDir, { recursive: true, force: true });
  await mkdir(join(bundleDir, 'persist'), { recursive: true, mode: 0o700 });
  const rootfs = await deps.snapshotter.mount(c.id);
  // Volumes, binds and tmpfs; destinations resolved inside the rootfs (mounts/spec-mounts.ts).
  const userMounts = await startMounts(ctx, c, rootfs);
  const user = await resolveUser(rootfs, c.config.user);
  const groupAdd = await resolveGroupAdd(rootfs, c.config.security?.groupAdd ?? []);
  const hostname = hostnameOf(c.id, c.config);
  // Network first: a port conflict fails here, before the runtime has anything to undo. A
  // remapped container's bridge network is only prepared: it is attached after create.
  const net = await networkForStart(ctx, c);
  const etc = await writeEtcFiles(deps.paths.containerDir(c.id), c.id, c.config, net?.facts);
  const argv = [...c.config.entrypoint, ...c.config.cmd];
  const init = initMount(ctx, c);
  const spec = dockerDefaultSpec({
    id: c.id,
    rootfs,
    // --init: tini runs as PID 1, reaps zombies and forwards signals to the command (as Docker).
    args: init ? [init.destination, '--', ...argv] : argv,
    env: c.config.env, // PATH, HOSTNAME and TERM are added as Docker adds them; runc sets HOME
    cwd: c.config.workingDir || '/',
    user: { uid: user.uid, gid: user.gid, additionalGids: [...user.additionalGids, ...groupAdd] },
    hostname,
    domainname: c.config.domainname,
    tty: c.config.tty,
    // runc sizes the pty itself at create: a resize through conmon's ctl can lose the race.
    ...(c.config.tty && c.config.consoleSize && c.config.consoleSize[0] > 0
      ? { consoleSize: { height: c.config.consoleSize[0], width: c.config.consoleSize[1] } }
      : {}),
    cgroupParent: containerCgroupParent(resources.cgroupParent, deps.cgroupParent),
    resources: runtimeResources(resources),
    networkNamespace: net?.netns ?? (c.config.networkMode === 'host' ? 'host' : 'none-new'),
    mounts: [
      {
        destination: '/etc/resolv.conf',
        type: 'bind',
        source: etc.resolvConf,
        options: ['rbind', 'rprivate'],
      },
      {
        destination: '/etc/hostname',
        type: 'bind',
        source: etc.hostname,
        options: ['rbind', 'rprivate'],
      },
      {
        destination: '/etc/hosts',
        type: 'bind',
        source: etc.hosts,
        options: ['rbind', 'rprivate'],
      },
      ...(init ? [init] : []),
      ...userMounts,
    ],
    shmSize: c.config.shmSize,
    hostLimits: deps.host.limits,
    kernel: deps.host.kernel,
    ...securitySpecInput(c.config.security),
  });
  for (const w of applyIsolation(spec, resources)) deps.log(`container ${c.id}: ${w}`);
  applySecurity(spec, c.config.security);
  if (c.config.annotations) spec.annotations = { ...spec.annotations, ...c.config.annotations };
  applyNamespaceModes(spec, c.config.security, joins);
  const userns = usernsFor(deps.userns, c.config);
  let lateSysctls: JoinedNetSysctls | undefined;
  if (userns) {
    const netSysctls = applyUserns(spec, userns, c.config.security?.sysctls, net?.pending?.path);
    if (net?.pending) lateSysctls = netSysctls;
    else if (netSysctls) await setNetnsSysctls(netSysctls);
    const etcFiles = [etc.hosts, etc.hostname, etc.resolvConf];
    await ownForUserns(userns, deps.paths.containerDir(c.id), etcFiles);
  }
  await atomicWrite(join(bundleDir, 'config.json'), JSON.stringify(spec));
  await rm(join(deps.paths.exitDir, c.id), { force: true });
  const size = c.config.consoleSize;
  const created = await deps.runtime.create({
    id: c.id,
    name: c.name,
    bundleDir,
    logPath: ctx.logPath(c.id),
    exitDir: deps.paths.exitDir,
    persistDir: join(bundleDir, 'persist'),
    tty: c.config.tty,
    stdin: c.config.openStdin,
    // Docker closes a StdinOnce container's stdin when its attached client's input ends, but
    // never for a TTY: `docker run -it` (StdinOnce) must survive a detach and a re-attach.
    leaveStdinOpen: c.config.openStdin && (!c.config.stdinOnce || c.config.tty),
    ...logOptions(c.config.logConfig ?? DEFAULT_LOG_CONFIG),
    ...(c.config.tty && size && size[0] > 0
      ? { initialSize: { rows: size[0], cols: size[1] } }
      : {}),
  });
  await ctx.hub.connectPending(c.id, bundleDir);
  try {
    if (net?.pending) await finishNetwork(ctx, c, net.pending, created.pid, lateSysctls);
    await deps.runtime.start(c.id);
  } catch (e) {
    await deps.runtime.delete(c.id, true).catch(() => undefined);
    throw e;
  }
  deps.repo.saveState(c.id, {
    ...c.state,
    status: 'running',
    pid: created.pid,
    pidStartTime: String(created.pidStartTime),
    conmonPid: created.conmonPid,
    exitCode: 0,
    error: '',
    oomKilled: false,
    startedAt: rfc3339Nano(),
    finishedAt: c.state.finishedAt,
  });
  deps.events.publish('container', 'start', c.id, containerEventAttributes(c));
}

/** A start that failed leaves the container exited with Docker's code and the error text. */
async function recordStartFailure(ctx: ContainerContext, c: Stored, e: unknown): Promise<void> {
  const { deps } = ctx;
  const message = (e as Error).message;
  const code = classifyStartError(message);
  await stopMounts(ctx, c);
  await deps.snapshotter.unmount(c.id).catch(() => undefined);
  await deps.networking
    ?.tearDown(c.id)
    .catch((err: unknown) => deps.log(`network teardown of ${c.id}: ${String(err)}`));
  await rm(deps.paths.bundleDir(c.id), { recursive: true, force: true });
  const now = rfc3339Nano();
  deps.repo.saveState(c.id, {
    ...c.state,
    status: 'exited',
    pid: 0,
    conmonPid: 0,
    exitCode: code,
    error: message,
    startedAt: c.state.startedAt,
    finishedAt: now,
  });
  ctx.hub.dropAll(c.id);
  ctx.waiters.exited(c.id, { statusCode: code, error: message });
  deps.events.publish(
    'container',
    'die',
    c.id,
    containerEventAttributes(c, { exitCode: String(code), execDuration: '0' }),
  );
}

async function removeAfterFailedStart(ctx: ContainerContext, id: string): Promise<void> {
  await ctx.mutex
    .run(id, async () => removeLocked(ctx, ctx.reload(id)))
    .catch((err: unknown) => ctx.deps.log(`auto-remove of ${id} failed: ${String(err)}`));
}

/** The bind mount of the engine's static init binary for a container created with `--init`. */
function initMount(
  ctx: ContainerContext,
  c: Stored,
): { destination: string; type: string; source: string; options: string[] } | undefined {
  if (c.config.init !== true) return undefined;
  const source = ctx.deps.initPath;
  if (source === undefined) {
    throw systemError('--init needs a static init binary: install tini (tini-static) or catatonit');
  }
  return {
    destination: '/sbin/docker-init',
    type: 'bind',
    source,
    options: ['rbind', 'ro', 'rprivate'],
  };
}

/** conmon's log options for a container's log driver (see log-config.ts). */
function logOptions(lc: LogConfig): { noLog?: true; logSizeMax?: number } {
  if (lc.type === 'none') return { noLog: true };
  const limit = logSizeLimit(lc);
  return limit === undefined ? {} : { logSizeMax: limit };
}
