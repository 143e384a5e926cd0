import type { ContainerContext } from './context.js';
import { isActive } from './state.js';
import type { WaitCondition, WaitResult } from './types.js';

/**
 * POST /wait: resolves the container (NotFound before anything is sent), registers the waiter,
 * and returns its result. `not-running` answers at once for a container that is not running.
 * Call `cancel` when the client goes away.
 */
export function waitContainer(
  ctx: ContainerContext,
  idOrName: string,
  condition: WaitCondition,
): { result: Promise<WaitResult>; cancel: () => void } {
  const c = ctx.lookup(idOrName);
  const w = ctx.waiters.add(c.id, condition);
  const now = ctx.reload(c.id);
  if (condition === 'not-running' && !isActive(ctx.status(now))) {
    w.cancel();
    const r: WaitResult = now.state.error
      ? { statusCode: now.state.exitCode, error: now.state.error }
      : { statusCode: now.state.exitCode };
    return { result: Promise.resolve(r), cancel: () => undefined };
  }
  return w;
}
