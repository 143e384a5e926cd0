import { rm } from 'node:fs/promises';
import { conflict, isKind } from '../../errors/index.js';
import { containerEventAttributes } from './event-attributes.js';
import type { ContainerContext, Stored } from './context.js';
import { isActive } from './state.js';
import { cancelPendingRestart, killContainer } from './stop.js';
import { removeAnonymousVolumes } from './mounts/container-mounts.js';

/** Deletes a container's snapshot (unmounting it first if needed) and its files. */
export async function deleteContainerFiles(ctx: ContainerContext, id: string): Promise<void> {
  const { deps } = ctx;
  await Promise.all([
    deps.snapshotter.remove(id),
    rm(deps.paths.bundleDir(id), { recursive: true, force: true }),
    rm(deps.paths.containerDir(id), { recursive: true, force: true }),
  ]);
}

/** Drops the row of a container whose files are gone, then wakes `removed` waiters. */
export function forgetContainer(ctx: ContainerContext, c: Stored): void {
  ctx.restarts.forget(c.id);
  ctx.deps.repo.remove(c.id);
  ctx.hub.dropAll(c.id);
  ctx.deps.events.publish('container', 'destroy', c.id, containerEventAttributes(c));
  ctx.waiters.removed(c.id, { statusCode: c.state.exitCode });
}

/**
 * forgetContainer, and with `removeVolumes` the container's anonymous volumes in between: the
 * row goes first (its volume references with it), then the volumes, then `removed` waiters are
 * woken, so a waiter never sees the volumes still there.
 */
export async function forgetContainerAndVolumes(
  ctx: ContainerContext,
  c: Stored,
  removeVolumes: boolean,
): Promise<void> {
  if (removeVolumes) {
    ctx.deps.repo.remove(c.id);
    await removeAnonymousVolumes(ctx, c);
  }
  forgetContainer(ctx, c);
}

/** Removes a container that is not running; called with its lock held. */
export async function removeLocked(
  ctx: ContainerContext,
  c: Stored,
  opts: { removeVolumes?: boolean } = {},
): Promise<void> {
  if (isActive(ctx.status(c))) {
    throw conflict(
      `cannot remove container "/${c.name}": container is ${ctx.status(c)}: stop the container before removing or force remove`,
    );
  }
  ctx.deps.repo.saveState(c.id, { ...c.state, status: 'removing' });
  await deleteContainerFiles(ctx, c.id);
  await forgetContainerAndVolumes(ctx, c, opts.removeVolumes === true);
}

/**
 * DELETE /containers/{id}: a running container is refused unless `force`, which kills it first
 * (SIGKILL, then waits for the exit to be recorded). `removeVolumes` (`rm -v`) also removes the
 * container's anonymous volumes that no other container uses; named volumes always stay.
 */
export async function removeContainer(
  ctx: ContainerContext,
  idOrName: string,
  opts: { force: boolean; removeVolumes?: boolean },
): Promise<void> {
  const c = ctx.lookup(idOrName);
  if (ctx.status(c) === 'restarting') {
    if (!opts.force) {
      throw conflict(
        `cannot remove container "/${c.name}": container is restarting: stop the container before removing or force remove`,
      );
    }
    await cancelPendingRestart(ctx, c.id);
  }
  if (opts.force && isActive(ctx.status(c))) {
    const exited = ctx.waiters.add(c.id, 'not-running');
    try {
      if (!isActive(ctx.status(ctx.reload(c.id)))) return await removeContainer(ctx, c.id, opts);
      // The process may be gone before its exit is recorded (all of a pid namespace dies with
      // its init): runc then answers "not running", and the exit is on its way.
      await killContainer(ctx, c.id, 'SIGKILL').catch((e: unknown) => {
        if (!isKind(e, 'Conflict')) throw e;
      });
      await Promise.race([exited.result, new Promise((r) => setTimeout(r, 15_000).unref())]);
    } finally {
      exited.cancel();
    }
  }
  await ctx.mutex.run(c.id, async () => {
    const cur = ctx.deps.repo.byId(c.id);
    if (!cur) return; // auto-removed while we waited
    await removeLocked(ctx, cur, opts);
  });
}
