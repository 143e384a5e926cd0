import type { CliContext } from '../../context.js';
import { reportError, UsageError } from '../../errors.js';
import { forEachContainer } from './lifecycle.js';
import { pumpOutput, settleOutput } from './stream-io.js';

/** `berth start [-a] CONTAINER...`. With -a: attach, then exit with the container's status. */
export async function startCommand(
  ctx: CliContext,
  opts: { attach?: boolean },
  names: string[],
): Promise<number> {
  const client = ctx.client();
  if (opts.attach !== true) return forEachContainer(ctx, names, (n) => client.containerStart(n));
  const [name, ...rest] = names;
  if (name === undefined || rest.length > 0) {
    throw new UsageError('you cannot start and attach multiple containers at once');
  }
  const inspect = await client.containerInspect(name);
  const id = inspect.Id ?? name;
  const conn = await client.containerAttach(id, {
    stream: true,
    stdout: true,
    stderr: true,
    tty: inspect.Config?.Tty === true,
  });
  try {
    const wait = await client.containerWait(
      id,
      inspect.HostConfig?.AutoRemove === true ? 'removed' : 'next-exit',
    );
    const pumping = pumpOutput(conn.output, ctx.io).catch((err: unknown) =>
      reportError(ctx.io, err),
    );
    await client.containerStart(id);
    const status = await wait.result;
    await settleOutput(pumping, 2000);
    return status.StatusCode;
  } finally {
    conn.close();
  }
}
