import { conflict, notModified } from '../../errors/index.js';
import type { ContainerContext } from './context.js';
import { parseSignal } from './signals.js';
import { isActive } from './state.js';

/** Sends a signal to a running container's process (POST /kill). */
export async function killContainer(
  ctx: ContainerContext,
  idOrName: string,
  signal = 'SIGKILL',
): Promise<void> {
  const c = ctx.lookup(idOrName);
  const sig = parseSignal(signal);
  if (!isActive(ctx.status(c))) {
    throw conflict(`Cannot kill container: ${c.id}: Container ${c.id} is not running`);
  }
  await markManuallyStopped(ctx, c.id);
  await ctx.deps.runtime.kill(c.id, String(sig));
  // A frozen process cannot die: after SIGKILL, thaw it so the kill takes effect (as Docker).
  if (sig === 9 && ctx.status(c) === 'paused')
    await ctx.deps.runtime.resume(c.id).catch(() => undefined);
}

/**
 * Stops a container: its stop signal, then SIGKILL once `timeoutSec` has passed (-1 waits
 * forever). Resolves once the exit has been recorded. A stopped container is a 304.
 */
export async function stopContainer(
  ctx: ContainerContext,
  idOrName: string,
  opts: { signal?: string; timeoutSec?: number },
): Promise<void> {
  const c = ctx.lookup(idOrName);
  const signal = parseSignal(opts.signal || c.config.stopSignal || 'SIGTERM');
  const timeoutSec = opts.timeoutSec ?? c.config.stopTimeout ?? 10;
  // Register before re-reading the state, so an exit in between is never missed.
  const exited = ctx.waiters.add(c.id, 'not-running');
  try {
    if (await cancelPendingRestart(ctx, c.id)) return;
    if (!isActive(ctx.status(ctx.reload(c.id)))) throw notModified();
    await markManuallyStopped(ctx, c.id);
    await ctx.deps.runtime.kill(c.id, String(signal)).catch(() => undefined);
    if (timeoutSec >= 0) {
      const timedOut = await Promise.race([
        exited.result.then(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(true), timeoutSec * 1000).unref()),
      ]);
      if (!timedOut) return;
      await ctx.deps.runtime.kill(c.id, '9', true).catch(() => undefined);
      if (ctx.status(ctx.reload(c.id)) === 'paused') {
        await ctx.deps.runtime.resume(c.id).catch(() => undefined);
      }
    }
    await exited.result;
  } finally {
    exited.cancel();
  }
}

/** Records that the user stopped the container, so its restart policy leaves it down. */
async function markManuallyStopped(ctx: ContainerContext, id: string): Promise<void> {
  await ctx.mutex.run(id, async () => {
    const c = ctx.reload(id);
    ctx.deps.repo.saveState(id, { ...c.state, manuallyStopped: true });
  });
}

/**
 * A container waiting for its policy restart is stopped by cancelling the restart; returns true
 * when that was the case.
 */
export async function cancelPendingRestart(ctx: ContainerContext, id: string): Promise<boolean> {
  return ctx.mutex.run(id, async () => {
    const c = ctx.reload(id);
    if (c.state.status !== 'restarting') return false;
    ctx.restarts.forget(id);
    ctx.deps.repo.saveState(id, { ...c.state, status: 'exited', manuallyStopped: true });
    return true;
  });
}
