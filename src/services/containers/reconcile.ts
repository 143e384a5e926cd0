import { isConmonAlive } from '../../drivers/runtime/conmon-pid.js';
import type { ContainerContext } from './context.js';
import { handleExit } from './exit.js';
import { removeLocked } from './remove.js';
import { isActive } from './state.js';
import { shouldStartOnBoot } from './restart-policy.js';
import { startContainer } from './start.js';
import { scheduleRestart } from './policy-restart.js';

/**
 * Brings the database in line with what really runs, at daemon start (after the exit watcher is
 * up, so no exit is missed): an exit file means the container stopped while we were away; a live
 * conmon means it still runs; neither means its monitor died and the exit code is lost.
 * Containers caught half-removed are removed, and runtime state left by containers that no
 * longer exist (an auto-removed container whose runtime delete was cut short) is deleted.
 */
export async function reconcileContainers(
  ctx: ContainerContext,
  readExit: (id: string) => Promise<number | null>,
): Promise<void> {
  for (const c of ctx.deps.repo.all()) {
    const status = ctx.status(c);
    if (status === 'removing') {
      await ctx.mutex.run(c.id, () =>
        removeLocked(ctx, { ...c, state: { ...c.state, status: 'dead' } }),
      );
      continue;
    }
    if (!isActive(status)) continue;
    const code = await readExit(c.id);
    if (code !== null) await handleExit(ctx, c.id, code);
    else if (!(await isConmonAlive(c.state.conmonPid, c.id))) await handleExit(ctx, c.id, null);
  }
  for (const c of ctx.deps.repo.all()) {
    const status = ctx.status(c);
    const policy = c.config.restartPolicy;
    if (!shouldStartOnBoot(policy, { status, manuallyStopped: c.state.manuallyStopped })) continue;
    if (status === 'restarting') {
      // Its backoff timer died with the previous daemon (or an exit found above just set one).
      if (!ctx.restarts.pending(c.id)) scheduleRestart(ctx, c.id, 0);
      continue;
    }
    ctx.deps.log(`starting ${c.name} for its restart policy (${policy.name})`);
    await startContainer(ctx, c.id, { byPolicy: true }).catch((e: unknown) =>
      ctx.deps.log(`restart policy of ${c.id}: ${String(e)}`),
    );
  }
  const { runtime, repo, log } = ctx.deps;
  for (const s of await runtime.list().catch(() => [])) {
    if (repo.byId(s.id)) continue;
    if (s.status !== 'stopped') {
      log(`runtime container ${s.id} (${s.status}) is unknown to the metadata store; left alone`);
      continue;
    }
    await runtime
      .delete(s.id, true)
      .catch((e: unknown) => log(`runtime delete ${s.id}: ${String(e)}`));
  }
}
