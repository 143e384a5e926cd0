import type { CliContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import { timestampArg } from '../../timestamps.js';
import { pumpOutput } from './stream-io.js';

/** `berth logs` flags. */
export interface LogsOptions {
  follow?: boolean;
  timestamps?: boolean;
  /** A line count or `all`. */
  tail?: string;
  since?: string;
  until?: string;
}

/** `berth logs CONTAINER`: the container's output, stdout and stderr kept apart (unless a TTY). */
export async function logsCommand(
  ctx: CliContext,
  opts: LogsOptions,
  container: string,
): Promise<number> {
  const client = ctx.client();
  const now = ctx.io.now();
  const tail = opts.tail ?? 'all';
  if (tail !== 'all' && !/^\d+$/.test(tail))
    throw new UsageError(`invalid value for --tail: ${tail}`);
  const inspect = await client.containerInspect(container);
  const logs = await client.containerLogs(inspect.Id ?? container, {
    stdout: true,
    stderr: true,
    follow: opts.follow === true,
    timestamps: opts.timestamps === true,
    tail: tail === 'all' ? 'all' : Number(tail),
    ...(opts.since === undefined ? {} : { since: timestampArg(opts.since, now) }),
    ...(opts.until === undefined ? {} : { until: timestampArg(opts.until, now) }),
    tty: inspect.Config?.Tty === true,
  });
  await pumpOutput(logs, ctx.io);
  return 0;
}
