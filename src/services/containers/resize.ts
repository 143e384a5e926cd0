import { conflict, invalidParameter } from '../../errors/index.js';
import type { ContainerContext } from './context.js';
import { isActive } from './state.js';

/** The largest terminal dimension a pty takes (struct winsize holds unsigned shorts). */
const MAX_DIMENSION = 0xffff;

/**
 * Resizes a running container's TTY (POST /containers/{id}/resize); the kernel then sends
 * SIGWINCH to the foreground process group. As in Docker, a container that is not running (or
 * whose conmon is gone) is a Conflict, and a container without a TTY accepts the call and
 * ignores it. Takes no lock: it changes no state, and `docker run -it` resizes right after
 * start, so it must not queue behind a slow verb; the runtime reports a conmon that went away.
 */
export async function resizeContainer(
  ctx: ContainerContext,
  idOrName: string,
  rows: number,
  cols: number,
): Promise<void> {
  for (const n of [rows, cols]) {
    if (!Number.isInteger(n) || n < 0 || n > MAX_DIMENSION) {
      throw invalidParameter(`invalid terminal size ${rows}x${cols}`);
    }
  }
  const c = ctx.lookup(idOrName);
  if (!isActive(ctx.status(c))) throw conflict(`container ${c.id} is not running`);
  if (!c.config.tty) return;
  await ctx.deps.runtime.resize(ctx.deps.paths.bundleDir(c.id), rows, cols);
  ctx.deps.events.publish('container', 'resize', c.id, {
    name: c.name,
    image: c.imageRef,
    height: String(rows),
    width: String(cols),
  });
}
