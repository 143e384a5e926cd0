import { access, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { rfc3339Nano } from '../../lib/time.js';
import { containerEventAttributes } from './event-attributes.js';
import type { ContainerContext } from './context.js';
import { deleteContainerFiles, forgetContainerAndVolumes } from './remove.js';
import { isActive } from './state.js';
import { shouldRestart } from './restart-policy.js';
import { scheduleRestart } from './policy-restart.js';
import { stopMounts } from './mounts/container-mounts.js';

/**
 * Records that a container's process exited with `code` (reported by conmon's exit file): the
 * exit is saved and its waiters woken at once, then, still under the container's lock, the
 * runtime state is deleted and the rootfs unmounted, or, for an auto-remove container, the whole
 * container removed. These steps are independent process spawns on the path of every
 * `run --rm`, so they run side by side. Stale reports for inactive containers are ignored.
 */
export async function handleExit(
  ctx: ContainerContext,
  id: string,
  code: number | null,
): Promise<void> {
  const { deps } = ctx;
  const logFailure =
    (what: string) =>
    (e: unknown): void =>
      deps.log(`${what} ${id}: ${String(e)}`);
  await ctx.mutex.run(id, async () => {
    const c = deps.repo.byId(id);
    if (!c || !isActive(ctx.status(c))) return;
    const bundleDir = deps.paths.bundleDir(id);
    const oomKilled = await access(join(bundleDir, 'persist', 'oom')).then(
      () => true,
      () => false,
    );
    const exitCode = code ?? 255;
    const error = code === null ? 'exit code unknown: the container monitor disappeared' : '';
    const restart = shouldRestart(c.config.restartPolicy, {
      exitCode,
      restartCount: c.state.restartCount,
      manuallyStopped: c.state.manuallyStopped,
    });
    const state = {
      ...c.state,
      status: c.config.autoRemove ? 'removing' : restart ? 'restarting' : 'exited',
      pid: 0,
      pidStartTime: null,
      conmonPid: 0,
      exitCode,
      error,
      oomKilled,
      finishedAt: rfc3339Nano(),
    };
    deps.repo.saveState(id, state);
    if (oomKilled) deps.events.publish('container', 'oom', id, containerEventAttributes(c));
    const ran = Date.now() - Date.parse(c.state.startedAt ?? '');
    deps.events.publish(
      'container',
      'die',
      id,
      containerEventAttributes(c, {
        exitCode: String(exitCode),
        execDuration: String(Number.isFinite(ran) ? Math.max(0, Math.floor(ran / 1000)) : 0),
      }),
    );
    ctx.waiters.exited(id, error ? { statusCode: exitCode, error } : { statusCode: exitCode });
    const runtimeDelete = deps.runtime.delete(id, true).catch(logFailure('runtime delete'));
    const exitFile = rm(join(deps.paths.exitDir, id), { force: true });
    // Docker keeps an address only while the container runs: leases go back now.
    const network = deps.networking?.tearDown(id).catch(logFailure('network teardown'));
    if (c.config.autoRemove) {
      // Once removed the id is never used again, so the runtime's own state (runc's state dir and
      // cgroup) can go after the `removed` waiters are told; shutdown still waits for it.
      // The network teardown read its endpoints synchronously, so the row may go meanwhile.
      ctx.track(Promise.all([runtimeDelete, exitFile, network]));
      await Promise.all([deleteContainerFiles(ctx, id), stopMounts(ctx, c)]);
      // `--rm` takes the container's anonymous volumes too (Docker).
      await forgetContainerAndVolumes(ctx, { ...c, state }, true);
      return;
    }
    await Promise.all([
      runtimeDelete,
      exitFile,
      network,
      deps.snapshotter.unmount(id).catch(logFailure('unmount')),
      stopMounts(ctx, c),
      rm(bundleDir, { recursive: true, force: true }),
    ]);
    if (restart)
      scheduleRestart(ctx, id, Date.now() - Date.parse(c.state.startedAt ?? c.createdAt));
  });
}
