import { lstat, realpath } from 'node:fs/promises';
import { isProcessAlive } from '../../drivers/runtime/conmon-pid.js';
import type { ArchiveView, MappedMount } from './archive-view.js';
import type { ContainerContext } from './context.js';
import type { QuietRootfs } from './quiet-rootfs.js';

/** An {@link ArchiveView} of a quiet container, with what it holds released by `close`. */
export interface OpenArchiveView {
  view: ArchiveView;
  /** Releases the volumes activated for a stopped container's view. Idempotent, never throws. */
  close(): Promise<void>;
}

/**
 * The filesystem `docker cp` works on, exactly what the container sees (or would see):
 *
 * - running or paused: `/proc/<pid>/root` of the container's init, whose mount tree has the
 *   volumes, binds and tmpfs mounts in it. The pid is trusted only when its start time is the
 *   recorded one; the container is frozen (see quiet-rootfs.ts) so it cannot exit and be
 *   replaced meanwhile.
 * - stopped (or a process that exited a moment ago): the rootfs Berth mounted, with each volume
 *   and bind destination mapped to its host directory (volumes are activated for the copy and
 *   released by `close`). A tmpfs has no content while stopped: the rootfs shows underneath, as
 *   in Docker.
 *
 * The caller holds `q` open (the container's lock) until it closes the view.
 */
export async function openArchiveView(
  ctx: ContainerContext,
  q: QuietRootfs,
): Promise<OpenArchiveView> {
  const c = q.container;
  const mounts = c.config.mounts ?? [];
  const procRoot = await liveRoot(ctx, q);
  if (procRoot !== null)
    return { view: { root: procRoot, mapped: [], mounts }, close: () => Promise.resolve() };
  const mapped: MappedMount[] = [];
  const activated: string[] = [];
  const close = async (): Promise<void> => {
    for (const name of activated.splice(0))
      await ctx.deps.volumes
        ?.release(name, q.id, { quiet: true })
        .catch((e: unknown) => ctx.deps.log(`cp ${q.id}: releasing ${name}: ${String(e)}`));
  };
  try {
    for (const m of mounts) {
      let source: string;
      if (m.type === 'bind') source = m.source;
      else if (m.type === 'volume' && ctx.deps.volumes) {
        if (!activated.includes(m.source)) {
          source = await ctx.deps.volumes.activate(m.source, q.id);
          activated.push(m.source);
        } else source = ctx.deps.volumes.mountpoint(m.source) ?? '';
      } else continue;
      // The source is the host's own path (the user named it, or it is the volume's data dir):
      // resolved on the host, as runc does when it mounts it. A missing one mounts nothing.
      const host = await realpath(source).catch(() => null);
      if (host !== null) mapped.push({ destination: m.destination, host });
    }
  } catch (e) {
    await close();
    throw e;
  }
  // A stopped container's tmpfs is not there: its path is plain rootfs (for writes too).
  const present = mounts.filter((m) => m.type !== 'tmpfs');
  return { view: { root: q.root, mapped, mounts: present }, close };
}

/** `/proc/<pid>/root` of a running or paused container's init when it is still that process. */
async function liveRoot(ctx: ContainerContext, q: QuietRootfs): Promise<string | null> {
  const status = ctx.status(q.container);
  if (status !== 'running' && status !== 'paused') return null;
  const { pid, pidStartTime } = q.container.state;
  if (pid <= 0 || pidStartTime === null || !/^\d+$/.test(pidStartTime)) return null;
  if (!(await isProcessAlive(pid, BigInt(pidStartTime)))) return null;
  const root = `/proc/${pid}/root`;
  // A process exiting between the check and here leaves no root to read.
  return (await lstat(`${root}/`).catch(() => null)) === null ? null : root;
}
