import { isKind } from '../../errors/index.js';
import type { ContainerContext } from './context.js';
import { startContainer } from './start.js';
import { stopContainer } from './stop.js';

/** POST /restart: stop (if running, with the stop timeout and signal), then start again. */
export async function restartContainer(
  ctx: ContainerContext,
  idOrName: string,
  opts: { signal?: string; timeoutSec?: number },
): Promise<void> {
  const { id, name, imageRef } = ctx.lookup(idOrName);
  try {
    await stopContainer(ctx, id, opts);
  } catch (e) {
    if (!isKind(e, 'NotModified')) throw e;
  }
  await startContainer(ctx, id);
  ctx.deps.events.publish('container', 'restart', id, { name, image: imageRef });
}
