import { access, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { rfc3339Nano } from '../../lib/time.js';
import type { ContainerContext } from './context.js';
import { removeLocked } from './remove.js';
import { isActive } from './state.js';

/**
 * Records that a container's process exited with `code` (reported by conmon's exit file): the
 * runtime state is deleted, the rootfs unmounted, waiters woken, and an auto-remove container
 * removed. Stale reports for containers that are no longer active are ignored.
 */
export async function handleExit(
  ctx: ContainerContext,
  id: string,
  code: number | null,
): Promise<void> {
  const { deps } = ctx;
  await ctx.mutex.run(id, async () => {
    const c = deps.repo.byId(id);
    if (!c || !isActive(ctx.status(c))) return;
    const bundleDir = deps.paths.bundleDir(id);
    const oomKilled = await access(join(bundleDir, 'persist', 'oom')).then(
      () => true,
      () => false,
    );
    await deps.runtime
      .delete(id, true)
      .catch((e: unknown) => deps.log(`runtime delete ${id}: ${String(e)}`));
    await deps.snapshotter
      .unmount(id)
      .catch((e: unknown) => deps.log(`unmount ${id}: ${String(e)}`));
    await rm(bundleDir, { recursive: true, force: true });
    await rm(join(deps.paths.exitDir, id), { force: true });
    const exitCode = code ?? 255;
    const error = code === null ? 'exit code unknown: the container monitor disappeared' : '';
    deps.repo.saveState(id, {
      ...c.state,
      status: 'exited',
      pid: 0,
      pidStartTime: null,
      conmonPid: 0,
      exitCode,
      error,
      oomKilled,
      finishedAt: rfc3339Nano(),
    });
    if (oomKilled) deps.events.publish('container', 'oom', id, { name: c.name });
    deps.events.publish('container', 'die', id, {
      exitCode: String(exitCode),
      name: c.name,
      image: c.imageRef,
    });
    ctx.waiters.exited(id, error ? { statusCode: exitCode, error } : { statusCode: exitCode });
    if (c.config.autoRemove) await removeLocked(ctx, ctx.reload(id));
  });
}
