import { readLogBatches, type LogBatch } from '../../drivers/logging/k8s-file.js';
import { notImplemented } from '../../errors/index.js';
import type { ContainerContext } from './context.js';
import { isActive } from './state.js';

export interface LogsOptions {
  follow: boolean;
  stdout: boolean;
  stderr: boolean;
  since?: Date;
  until?: Date;
  /** Lines from the end; -1 for all. */
  tail: number;
  signal: AbortSignal;
}

/**
 * A container's log, read from conmon's log file in batches of lines. With `follow`, the stream ends once the
 * container has exited and its last lines are read, or when `signal` aborts. A container with the
 * `none` log driver has no log: NotImplemented, as Docker answers.
 */
export function containerLogs(
  ctx: ContainerContext,
  idOrName: string,
  opts: LogsOptions,
): { tty: boolean; batches: AsyncIterable<LogBatch> } {
  const c = ctx.lookup(idOrName);
  if (c.config.logConfig?.type === 'none') {
    throw notImplemented('configured logging driver does not support reading');
  }
  let stopped: Promise<void> = Promise.resolve();
  if (opts.follow) {
    const w = ctx.waiters.add(c.id, 'not-running');
    if (isActive(ctx.status(ctx.reload(c.id)))) {
      stopped = w.result.then(() => undefined);
      opts.signal.addEventListener('abort', () => w.cancel(), { once: true });
    } else {
      w.cancel();
    }
  }
  const batches = readLogBatches(ctx.logPath(c.id), {
    follow: opts.follow,
    stdout: opts.stdout,
    stderr: opts.stderr,
    tail: opts.tail,
    signal: opts.signal,
    stopped,
    ...(opts.since ? { since: opts.since } : {}),
    ...(opts.until ? { until: opts.until } : {}),
  });
  return { tty: c.config.tty, batches };
}
