import type { CliContext } from '../../context.js';
import { pipeStdin, proxySignals, pumpOutput, settleOutput } from './stream-io.js';
import { detachKeysFlag, followTerminalSize, pipeTtyStdin } from './tty-io.js';

/** Flags of `berth attach`. */
export interface AttachFlags {
  /** false with `--no-stdin`. */
  stdin?: boolean;
  detachKeys?: string;
  /** false with `--sig-proxy=false`; only used without a TTY. */
  sigProxy?: boolean;
}

/**
 * `berth attach CONTAINER`: connects the terminal to a running container's stdio, as docker
 * attach. With a TTY: raw mode, the container follows the terminal's size, and the detach keys
 * (default ctrl-p ctrl-q, `--detach-keys`) leave it running ("read escape sequence", exit 1, like
 * docker). Otherwise exits with the container's status once it stops.
 */
export async function attachCommand(
  ctx: CliContext,
  flags: AttachFlags,
  name: string,
): Promise<number> {
  const { io } = ctx;
  const client = ctx.client();
  const keys = detachKeysFlag(flags.detachKeys);
  const inspect = await client.containerInspect(name);
  const id = inspect.Id ?? name;
  if (inspect.State?.Running !== true) {
    io.stderr.write('berth: You cannot attach to a stopped container, start it first\n');
    return 1;
  }
  if (inspect.State.Paused === true) {
    io.stderr.write('berth: You cannot attach to a paused container, unpause it first\n');
    return 1;
  }
  const tty = inspect.Config?.Tty === true;
  const withStdin = flags.stdin !== false && inspect.Config?.OpenStdin === true;
  if (tty && withStdin && io.stdin.isTTY !== true) {
    io.stderr.write('berth: the input device is not a TTY\n');
    return 1;
  }
  const wait = await client.containerWait(id, 'not-running');
  const conn = await client.containerAttach(id, {
    stream: true,
    stdin: withStdin,
    stdout: true,
    stderr: true,
    tty,
    ...(flags.detachKeys !== undefined ? { detachKeys: flags.detachKeys } : {}),
  });
  const pumping = pumpOutput(conn.output, io).catch(() => undefined);
  const undo: Array<() => void> = [];
  let detached: Promise<void> = new Promise<void>(() => undefined);
  if (withStdin && tty) {
    const piped = pipeTtyStdin(io, conn, keys);
    detached = piped.detached;
    undo.push(piped.undo);
  } else if (withStdin) {
    undo.push(pipeStdin(io, conn, false));
  }
  if (tty) undo.push(followTerminalSize(io, (h, w) => client.containerResize(id, { h, w })));
  else if (flags.sigProxy !== false) {
    undo.push(proxySignals(io, (s) => client.containerKill(id, s)));
  }
  try {
    const how = await Promise.race([
      detached.then(() => 'detached' as const),
      pumping.then(() => 'ended' as const),
    ]);
    if (how === 'detached') {
      for (const u of undo.splice(0).reverse()) u(); // leave raw mode before printing
      io.stderr.write('read escape sequence\n');
      return 1;
    }
    const status = await wait.result;
    await settleOutput(pumping, 2000);
    return status.StatusCode;
  } finally {
    for (const u of undo.reverse()) u();
    conn.close();
  }
}
