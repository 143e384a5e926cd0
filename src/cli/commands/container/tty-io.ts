import type { AttachConnection } from '../../../client/index.js';
import { DetachScanner, parseDetachKeys } from '../../../lib/detach-keys.js';
import type { CliIo } from '../../context.js';
import { UsageError } from '../../errors.js';

/** The parsed `--detach-keys` value (default ctrl-p,ctrl-q); a bad one is a usage error. */
export function detachKeysFlag(spec: string | undefined): Buffer {
  try {
    return parseDetachKeys(spec ?? '');
  } catch (e) {
    throw new UsageError(`invalid detach keys (${spec ?? ''}): ${(e as Error).message}`);
  }
}

/**
 * Keeps a TTY container's size in step with the local terminal: once now, then whenever stdout
 * reports a resize (Node turns SIGWINCH into stdout's 'resize' event). Failures are ignored, as
 * docker does: the container may have exited meanwhile. Returns the undo function.
 */
export function followTerminalSize(
  io: CliIo,
  resize: (rows: number, cols: number) => Promise<void>,
): () => void {
  const send = (): void => {
    const size = io.terminalSize?.();
    if (size && size[0] > 0 && size[1] > 0) void resize(size[0], size[1]).catch(() => undefined);
  };
  send();
  io.stdout.on('resize', send);
  return () => {
    io.stdout.off('resize', send);
  };
}

/** What {@link pipeTtyStdin} hands back. */
export interface TtyStdin {
  /** Resolves when the user typed the detach sequence (the connection is then closed). */
  detached: Promise<void>;
  /** Stops reading stdin and restores the terminal. */
  undo(): void;
}

/**
 * Feeds the CLI's stdin to a TTY container in raw mode, watching for the detach sequence as the
 * docker CLI does: the sequence itself is not sent; once typed, the connection is closed and the
 * container keeps running. End of stdin half-closes the connection.
 */
export function pipeTtyStdin(io: CliIo, conn: AttachConnection, keys: Buffer): TtyStdin {
  const { stdin } = io;
  const rawMode = stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  if (rawMode) stdin.setRawMode?.(true);
  const scanner = new DetachScanner(keys);
  let onDetach = (): void => undefined;
  const detached = new Promise<void>((resolve) => (onDetach = resolve));
  const onData = (chunk: Buffer): void => {
    const { forward, detached: hit } = scanner.push(chunk);
    if (forward.length > 0) conn.stdin.write(forward);
    if (hit) {
      undo();
      conn.close();
      onDetach();
    }
  };
  const onEnd = (): void => {
    const rest = scanner.flush();
    if (rest.length > 0) conn.stdin.write(rest);
    conn.closeWrite();
  };
  let undone = false;
  const undo = (): void => {
    if (undone) return;
    undone = true;
    stdin.off('data', onData);
    stdin.off('end', onEnd);
    stdin.pause();
    if (rawMode) stdin.setRawMode?.(false);
  };
  stdin.on('data', onData);
  stdin.on('end', onEnd);
  return { detached, undo };
}
