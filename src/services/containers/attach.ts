import type { AttachSession } from './attach-hub.js';
import type { ContainerContext } from './context.js';
import { isActive } from './state.js';

/**
 * Attaches a session to a container's stdio: at once when it runs, else at its next start.
 * Returns whether the container has a TTY and a function that detaches the session.
 */
export async function attachContainer(
  ctx: ContainerContext,
  idOrName: string,
  session: AttachSession,
): Promise<{ tty: boolean; detach: () => void }> {
  const c = ctx.lookup(idOrName);
  return ctx.mutex.run(c.id, async () => {
    const cur = ctx.reload(c.id);
    if (isActive(ctx.status(cur))) {
      await ctx.hub.connectNow(ctx.deps.paths.bundleDir(c.id), session);
      return { tty: cur.config.tty, detach: () => undefined };
    }
    return { tty: cur.config.tty, detach: ctx.hub.addPending(c.id, session) };
  });
}
