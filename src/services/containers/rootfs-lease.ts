import type { ContainerContext } from './context.js';
import { isActive } from './state.js';

/** Users of each container's rootfs outside its run (export, cp), per context. */
const leases = new WeakMap<ContainerContext, Map<string, number>>();

function counts(ctx: ContainerContext): Map<string, number> {
  let m = leases.get(ctx);
  if (!m) leases.set(ctx, (m = new Map()));
  return m;
}

/**
 * Mounts the container's rootfs if it is not (a stopped container) and counts one more user of
 * it; returns the mount path. The caller holds the container's lock and reloaded it.
 */
export async function acquireRootfsLocked(ctx: ContainerContext, id: string): Promise<string> {
  const path = await ctx.deps.snapshotter.mount(id);
  const m = counts(ctx);
  m.set(id, (m.get(id) ?? 0) + 1);
  return path;
}

/**
 * Drops one user; when it was the last and the container is not running or paused, unmounts
 * (a stopped container's rootfs is left as it was found). The caller holds the container's lock.
 */
export async function releaseRootfsLocked(ctx: ContainerContext, id: string): Promise<void> {
  const m = counts(ctx);
  const left = (m.get(id) ?? 1) - 1;
  if (left > 0) {
    m.set(id, left);
    return;
  }
  m.delete(id);
  const c = ctx.deps.repo.byId(id);
  if (c && !isActive(ctx.status(c))) await ctx.deps.snapshotter.unmount(id);
}

/** {@link releaseRootfsLocked} taking the lock itself, off the caller's path (tracked). */
export function releaseRootfs(ctx: ContainerContext, id: string): void {
  ctx.track(
    ctx.mutex
      .run(id, () => releaseRootfsLocked(ctx, id))
      .catch((e: unknown) => ctx.deps.log(`rootfs of ${id}: unmount failed: ${String(e)}`)),
  );
}
