import type { Socket } from 'node:net';
import { DetachScanner } from '../../lib/detach-keys.js';

/** Where a hijacked client's input goes: the container side of an attach or exec. */
export interface InputTarget {
  write(data: Buffer): void;
  /** Half-closes: the container sees end of input. */
  closeStdin(): void;
}

/** How {@link relayInput} treats the client's input. */
export interface RelayOptions {
  /** The container has a TTY: detach keys apply (Docker watches for them only then). */
  tty: boolean;
  /**
   * The end of this client's input closes the container's stdin (Docker's StdinOnce, non-TTY
   * only); otherwise it ends the whole attach, as Docker closes stdout and stderr then.
   */
  closeStdinOnEnd: boolean;
  /** The parsed detach sequence (see lib/detach-keys.ts). */
  detachKeys: Buffer;
  /** Ends the attach: the client's connection is closed, the container keeps running. */
  detach(): void;
}

/**
 * Relays a hijacked client's input (`head`, the bytes read with the request, then the socket) to
 * the container. With a TTY, typing the detach sequence calls `detach()` and nothing after it is
 * forwarded; a partial sequence is forwarded once it stops matching (or at end of input).
 * Returns a function that stops relaying (removes the listeners).
 */
export function relayInput(
  head: Buffer,
  input: Socket,
  target: InputTarget,
  o: RelayOptions,
): () => void {
  const scanner = o.tty ? new DetachScanner(o.detachKeys) : undefined;
  let done = false;
  const stop = (): void => {
    done = true;
    input.off('data', onData);
    input.off('end', onEnd);
  };
  const onData = (chunk: Buffer): void => {
    if (done) return;
    if (!scanner) {
      target.write(chunk);
      return;
    }
    const { forward, detached } = scanner.push(chunk);
    if (forward.length > 0) target.write(forward);
    if (detached) {
      stop();
      o.detach();
    }
  };
  const onEnd = (): void => {
    if (done) return;
    const rest = scanner?.flush();
    if (rest && rest.length > 0) target.write(rest);
    stop();
    if (o.closeStdinOnEnd && !o.tty) target.closeStdin();
    else o.detach();
  };
  input.on('data', onData);
  input.on('end', onEnd);
  if (head.length > 0) onData(head);
  return stop;
}

/**
 * For a client attached without stdin: its input is read and dropped (so it cannot back up), and
 * a half-close is ignored: the docker CLI half-closes at once when it has no input to send.
 */
export function discardInput(input: Socket): void {
  input.on('data', () => undefined);
}
