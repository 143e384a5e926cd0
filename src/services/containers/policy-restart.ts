import type { ContainerContext } from './context.js';
import { nextDelay } from './restart-policy.js';
import { startContainer } from './start.js';

/**
 * Schedules the policy restart of a container now in the `restarting` state, after Docker's
 * backoff. When the timer fires the container is started again unless the user stopped, started
 * or removed it meanwhile (they cancel the timer, or move it out of `restarting`).
 */
export function scheduleRestart(ctx: ContainerContext, id: string, ranForMs: number): void {
  const delay = nextDelay(ctx.restarts.lastDelay(id), ranForMs);
  ctx.restarts.schedule(id, delay, () => {
    ctx.track(
      restartNow(ctx, id).catch((e: unknown) =>
        ctx.deps.log(`restart policy of ${id}: ${String(e)}`),
      ),
    );
  });
}

async function restartNow(ctx: ContainerContext, id: string): Promise<void> {
  const proceed = await ctx.mutex.run(id, async () => {
    const c = ctx.deps.repo.byId(id);
    if (!c || c.state.status !== 'restarting') return false;
    ctx.deps.repo.saveState(id, { ...c.state, restartCount: c.state.restartCount + 1 });
    return true;
  });
  if (proceed) await startContainer(ctx, id, { byPolicy: true });
}
