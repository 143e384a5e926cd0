import type { AttachConnection, OutputChunk } from '../../../client/index.js';
import type { CliIo } from '../../context.js';
import { writeAll } from '../../errors.js';

/** Copies container output to the CLI's stdout/stderr until the stream ends (honours backpressure). */
export async function pumpOutput(output: AsyncIterable<OutputChunk>, io: CliIo): Promise<void> {
  for await (const chunk of output) {
    await writeAll(chunk.stream === 'stderr' ? io.stderr : io.stdout, chunk.data);
  }
}

/**
 * Feeds the CLI's stdin to an attached container; stdin's end half-closes the connection so the
 * container sees EOF. With `raw`, a terminal stdin is switched to raw mode for the duration.
 * Returns the undo function (unpipe, restore the terminal).
 */
export function pipeStdin(io: CliIo, conn: AttachConnection, raw: boolean): () => void {
  const { stdin } = io;
  const rawMode = raw && stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  if (rawMode) stdin.setRawMode?.(true);
  const onEnd = (): void => conn.closeWrite();
  stdin.on('end', onEnd);
  stdin.pipe(conn.stdin, { end: false });
  return () => {
    stdin.off('end', onEnd);
    stdin.unpipe(conn.stdin);
    stdin.pause();
    if (rawMode) stdin.setRawMode?.(false);
  };
}

/**
 * Forwards SIGINT/SIGTERM from `io.signals` to the container (docker's --sig-proxy, on for
 * non-TTY runs). Returns the undo function.
 */
export function proxySignals(io: CliIo, kill: (signal: string) => Promise<void>): () => void {
  const { signals } = io;
  if (signals === undefined) return () => undefined;
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((sig) => {
    const handler = (): void => void kill(sig).catch(() => undefined);
    signals.on(sig, handler);
    return [sig, handler] as const;
  });
  return () => {
    for (const [sig, handler] of handlers) signals.off(sig, handler);
  };
}

/**
 * Waits for output to drain after the container's exit status is known, but not forever: a
 * daemon that keeps the attach open after exit must not hang the CLI.
 */
export async function settleOutput(pumping: Promise<void>, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
  });
  try {
    await Promise.race([pumping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
