import type { ContainerContext, Stored } from './context.js';
import { acquireRootfsLocked, releaseRootfsLocked } from './rootfs-lease.js';

/** A container's rootfs that nothing inside the container changes until `close`. */
export interface QuietRootfs {
  id: string;
  /** Host path of the mounted rootfs. */
  root: string;
  container: Stored;
  /** Thaws (if it froze the container), releases the mount and the lock. Idempotent. */
  close(): Promise<void>;
}

/**
 * Opens a container's rootfs for `docker cp`: takes the container's lock (held until close, so no
 * verb changes its state meanwhile), mounts a stopped container's rootfs, and freezes a running
 * container so none of its processes can swap a directory for a symlink while host-side code
 * walks the tree (the cp race of CVE-2018-15664; Docker pauses the container for the same
 * reason). A paused container stays paused. NotFound for an unknown container.
 */
export async function openQuietRootfs(
  ctx: ContainerContext,
  idOrName: string,
): Promise<QuietRootfs> {
  const id = ctx.lookup(idOrName).id;
  let done!: () => void;
  const closed = new Promise<void>((r) => (done = r));
  return new Promise<QuietRootfs>((resolve, reject) => {
    const held = ctx.mutex.run(id, async () => {
      let acquired = false;
      let frozen = false;
      try {
        const c = ctx.reload(id);
        const root = await acquireRootfsLocked(ctx, id);
        acquired = true;
        if (ctx.status(c) === 'running') frozen = await freeze(ctx, id);
        resolve({ id, root, container: c, close: () => (done(), held) });
        await closed;
      } catch (e) {
        reject(e);
      } finally {
        if (frozen)
          await ctx.deps.runtime
            .resume(id)
            .catch((e: unknown) => ctx.deps.log(`cp ${id}: thaw failed: ${String(e)}`));
        if (acquired)
          await releaseRootfsLocked(ctx, id).catch((e: unknown) =>
            ctx.deps.log(`cp ${id}: unmount failed: ${String(e)}`),
          );
      }
    });
    ctx.track(held);
  });
}

/**
 * Freezes a container recorded as running. Its process may have exited a moment ago (the exit
 * monitor has not recorded it yet): then nothing can race the copy and it goes on unfrozen.
 */
async function freeze(ctx: ContainerContext, id: string): Promise<boolean> {
  try {
    await ctx.deps.runtime.pause(id);
    return true;
  } catch (e) {
    const st = await ctx.deps.runtime.state(id).catch(() => null);
    if (st === null || st.status === 'stopped') return false;
    throw e;
  }
}
