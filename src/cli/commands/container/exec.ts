import { ApiError, type AttachConnection, type ContainerExecBody } from '../../../client/index.js';
import type { CliContext } from '../../context.js';
import { reportError } from '../../errors.js';
import { pipeStdin, pumpOutput } from './stream-io.js';

/** `berth exec` flags. */
export interface ExecOptions {
  interactive?: boolean;
  tty?: boolean;
  detach?: boolean;
  user?: string;
  workdir?: string;
  env: string[];
  privileged?: boolean;
  detachKeys?: string;
  /** The local terminal's [rows, columns], for a TTY exec. */
  consoleSize?: [number, number];
}

/** The exec create body for the flags (pure). `-e KEY` takes KEY's value from `env`, as docker. */
export function execBody(
  opts: ExecOptions,
  command: string[],
  env: Record<string, string | undefined>,
): ContainerExecBody {
  const body: ContainerExecBody = {
    Cmd: command,
    Env: opts.env.flatMap((e) => {
      if (e.includes('=')) return [e];
      const v = env[e];
      return v === undefined ? [] : [`${e}=${v}`];
    }),
    Tty: opts.tty === true,
    AttachStdin: opts.interactive === true && opts.detach !== true,
    AttachStdout: opts.detach !== true,
    AttachStderr: opts.detach !== true,
    Privileged: opts.privileged === true,
  };
  if (opts.user !== undefined) body.User = opts.user;
  if (opts.workdir !== undefined) body.WorkingDir = opts.workdir;
  if (opts.detachKeys !== undefined) body.DetachKeys = opts.detachKeys;
  if (opts.tty === true && opts.consoleSize !== undefined) body.ConsoleSize = opts.consoleSize;
  return body;
}

/**
 * `berth exec [-i] [-t] [-d] CONTAINER CMD...`: create → start (hijacked, or detached) → copy
 * stdio → exit with the exec's exit code from inspect. Daemon errors exit 1, as docker's.
 */
export async function execCommand(
  ctx: CliContext,
  opts: ExecOptions,
  container: string,
  command: string[],
): Promise<number> {
  const { io } = ctx;
  if (opts.interactive === true && opts.tty === true && io.stdin.isTTY !== true) {
    io.stderr.write('berth: the input device is not a TTY\n');
    return 1;
  }
  const client = ctx.client();
  let execId: string;
  try {
    execId = await client.execCreate(container, execBody(opts, command, io.env));
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    reportError(io, err);
    return 1;
  }
  const tty = opts.tty === true;
  const size = opts.consoleSize;
  const start = { tty, ...(tty && size !== undefined ? { consoleSize: size } : {}) };
  if (opts.detach === true) {
    await client.execStartDetached(execId, start);
    return 0;
  }
  const conn = await client.execStart(execId, start);
  const undoStdin = opts.interactive === true ? pipeStdin(io, conn, tty) : (): void => undefined;
  const undoResize = tty ? followResize(ctx, execId) : (): void => undefined;
  try {
    await pumpOutput(conn.output, io);
    const inspect = await client.execInspect(execId);
    // Still running: the user detached (detach keys), and docker exits 0 then.
    return inspect.Running === true ? 0 : (inspect.ExitCode ?? 0);
  } finally {
    undoResize();
    undoStdin();
    closeQuietly(conn);
  }
}

/** Sends the terminal size now and whenever the local terminal is resized. */
function followResize(ctx: CliContext, execId: string): () => void {
  const { io } = ctx;
  const send = (): void => {
    const s = io.terminalSize?.();
    if (s !== undefined)
      void ctx
        .client()
        .execResize(execId, { h: s[0], w: s[1] })
        .catch(() => {});
  };
  send();
  io.stdout.on('resize', send);
  return () => io.stdout.off('resize', send);
}

function closeQuietly(conn: AttachConnection): void {
  try {
    conn.close();
  } catch {
    // already closed
  }
}
