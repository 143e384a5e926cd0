import { conflict } from '../../errors/index.js';
import type { AttachSession } from './attach-hub.js';
import { LogReplay } from './attach-replay.js';
import type { ContainerContext } from './context.js';
import { containerEventAttributes } from './event-attributes.js';
import { isActive } from './state.js';

/** Docker's `logs` and `stream` flags of attach. */
export interface AttachOptions {
  /** Replay the container's log first (see attach-replay.ts). */
  logs: boolean;
  /** Relay live output (and input); without it the session ends after the replay. */
  stream: boolean;
}

/**
 * Attaches a session to a container's stdio: at once when it runs, else at its next start.
 * Returns whether the container has a TTY and a function that detaches the session (and stops a
 * replay). A paused container is a Conflict, as in Docker.
 */
export async function attachContainer(
  ctx: ContainerContext,
  idOrName: string,
  session: AttachSession,
  opts: AttachOptions = { logs: false, stream: true },
): Promise<{ tty: boolean; detach: () => void }> {
  const c = ctx.lookup(idOrName);
  const replay = opts.logs ? new LogReplay(ctx.logPath(c.id), session, opts.stream) : undefined;
  const target = replay?.gate ?? session;
  let stopWaiting = (): void => undefined;
  const attached = await ctx.mutex.run(c.id, async () => {
    const cur = ctx.reload(c.id);
    const status = ctx.status(cur);
    if (status === 'paused') {
      throw conflict(`container ${idOrName} is paused, unpause the container before attach`);
    }
    replay?.markCut();
    if (!opts.stream) return { tty: cur.config.tty, detach: () => undefined };
    if (isActive(status)) {
      if (replay) {
        // Output comes from the log until the container exits (see attach-replay.ts).
        const exited = ctx.waiters.add(c.id, 'not-running');
        replay.follow(exited.result.then(() => undefined));
        stopWaiting = exited.cancel;
      }
      await ctx.hub.connectNow(ctx.deps.paths.bundleDir(c.id), target);
      return { tty: cur.config.tty, detach: () => undefined };
    }
    return { tty: cur.config.tty, detach: ctx.hub.addPending(c.id, target) };
  });
  // Docker logs every attach (the docker CLI's `run` attaches before it starts).
  ctx.deps.events.publish('container', 'attach', c.id, containerEventAttributes(c));
  if (replay) void replay.run(ctx.deps.log);
  else if (!opts.stream) session.end();
  return {
    tty: attached.tty,
    detach: () => {
      stopWaiting();
      replay?.abort();
      attached.detach();
    },
  };
}
