import { ApiError, type AttachConnection, type BerthClient } from '../../../client/index.js';
import type { CliContext } from '../../context.js';
import { describeError, EXIT_ENGINE_ERROR, reportError } from '../../errors.js';
import { runOptionsToCreateBody, withDefaultTag, type RunOptions } from './run-options.js';
import { pipeStdin, proxySignals, pumpOutput, settleOutput } from './stream-io.js';
import { detachKeysFlag, followTerminalSize, pipeTtyStdin, type TtyStdin } from './tty-io.js';

/** How long output may keep flowing after the exit status arrived. */
const OUTPUT_GRACE_MS = 2000;

/**
 * `berth run`. Detached: create → start → print the id. Attached: create → attach → wait (the
 * wait is registered before start, so a fast exit is never missed; `removed` with --rm) → start
 * → copy output → exit with the container's status. Engine errors exit 125; a command that cannot
 * be executed 126/127, as docker.
 */
export async function runCommand(ctx: CliContext, opts: RunOptions): Promise<number> {
  const { io } = ctx;
  if (opts.interactive === true && opts.tty === true && io.stdin.isTTY !== true) {
    io.stderr.write('berth: the input device is not a TTY\n');
    return EXIT_ENGINE_ERROR;
  }
  // `-it`: detach keys are watched here, as the docker CLI does (parsed before anything exists).
  const keys =
    opts.interactive === true && opts.tty === true ? detachKeysFlag(opts.detachKeys) : null;
  const client = ctx.client();
  const id = await create(ctx, opts);
  if (id === undefined) return EXIT_ENGINE_ERROR;

  if (opts.detach === true) {
    const failed = await start(ctx, client, id);
    if (failed !== undefined) return failed;
    io.stdout.write(`${id}\n`);
    return 0;
  }

  const tty = opts.tty === true;
  const conn = await client.containerAttach(id, {
    stream: true,
    stdin: opts.interactive === true,
    stdout: true,
    stderr: true,
    tty,
    ...(opts.detachKeys !== undefined ? { detachKeys: opts.detachKeys } : {}),
  });
  const wait = await client.containerWait(id, opts.rm === true ? 'removed' : 'next-exit');
  const pumping = pumpOutput(conn.output, io).catch((err: unknown) => reportError(io, err));
  const ttyStdin: TtyStdin | undefined = keys ? pipeTtyStdin(io, conn, keys) : undefined;
  const undoStdin =
    ttyStdin?.undo ??
    (opts.interactive === true ? pipeStdin(io, conn, tty) : (): void => undefined);
  let undoResize = (): void => undefined;
  const undoSignals = tty
    ? (): void => undefined
    : proxySignals(io, (s) => client.containerKill(id, s));
  try {
    const failed = await start(ctx, client, id);
    if (failed !== undefined) return failed;
    // The initial size went with the create (ConsoleSize); this follows later changes.
    if (tty) undoResize = followTerminalSize(io, (h, w) => client.containerResize(id, { h, w }));
    const detached = ttyStdin?.detached.then(() => undefined) ?? new Promise<undefined>(() => {});
    const status = await Promise.race([wait.result, detached]);
    if (status === undefined) return 0; // detached: the container keeps running
    await settleOutput(pumping, OUTPUT_GRACE_MS);
    if (status.Error?.Message) {
      io.stderr.write(`berth: Error waiting for container: ${status.Error.Message}\n`);
      return EXIT_ENGINE_ERROR;
    }
    return status.StatusCode;
  } finally {
    undoResize();
    undoSignals();
    undoStdin();
    closeQuietly(conn);
  }
}

/** Creates the container; on failure prints like docker and returns undefined. */
async function create(ctx: CliContext, opts: RunOptions): Promise<string | undefined> {
  const { io } = ctx;
  const body = runOptionsToCreateBody(opts, io.env);
  try {
    const res = await ctx
      .client()
      .containerCreate(body, opts.name === undefined ? {} : { name: opts.name });
    for (const w of res.Warnings ?? []) io.stderr.write(`WARNING: ${w}\n`);
    return res.Id;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (err.statusCode === 404 && /^No such image/i.test(err.message)) {
      io.stderr.write(`Unable to find image '${withDefaultTag(opts.image)}' locally\n`);
      // As docker does: pull the missing image (progress on stderr), then create again.
      const { pullImage } = await import('../image/pull.js');
      const pulled = await pullImage(
        { ...ctx, io: { ...io, stdout: io.stderr } },
        opts.image,
      ).catch((e: unknown) =>
        e instanceof ApiError ? (reportError(io, e), 1) : Promise.reject(e),
      );
      if (pulled !== 0) return undefined;
      return create(ctx, opts);
    }
    reportError(io, err);
    return undefined;
  }
}

/** Starts the container; on failure prints and returns docker's exit code for it. */
async function start(
  ctx: CliContext,
  client: BerthClient,
  id: string,
): Promise<number | undefined> {
  try {
    await client.containerStart(id);
    return undefined;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    reportError(ctx.io, err);
    return startFailureCode(describeError(err));
  }
}

/** 127 when the command was not found, 126 when it could not be executed, else 125 (docker's rule). */
export function startFailureCode(message: string): number {
  if (/executable file not found|no such file or directory|not found in \$?PATH/i.test(message)) {
    return 127;
  }
  if (/permission denied|not executable/i.test(message)) return 126;
  return EXIT_ENGINE_ERROR;
}

function closeQuietly(conn: AttachConnection): void {
  try {
    conn.close();
  } catch {
    // already closed
  }
}
