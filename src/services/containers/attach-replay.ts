import { readLog } from '../../drivers/logging/k8s-file.js';
import type { AttachConnection } from '../../drivers/runtime/attach.js';
import type { AttachSession } from './attach-hub.js';

/**
 * Attach with `logs=1`: the container's log is replayed to the session before live output.
 *
 * No line is sent twice: conmon writes each chunk of output to the log and then, in the same
 * step, to every connected attach client, and it can only have accepted a connection after the
 * client called connect. So every log line stamped before {@link LogReplay.markCut} (taken just
 * before connecting) was written before the live connection existed and never reaches it; the
 * replay sends exactly those lines. Lines in the sub-millisecond gap between the cut and conmon's
 * accept may be missed, like Docker, which replays and then attaches with the same gap.
 *
 * Live output that arrives while the replay runs is held back and sent after it, in order.
 */
export class LogReplay {
  /** The session to connect (or queue) in place of the caller's: it holds live output back. */
  readonly gate: AttachSession;
  #cutNs = 0n;
  readonly #abort = new AbortController();
  /** Live output held back during the replay; null once the replay is done. */
  #held: Array<['stdout' | 'stderr', Buffer]> | null = [];
  #endedDuringReplay = false;

  /**
   * @param live false for `stream=0`: the session ends after the replay.
   */
  constructor(
    private readonly logPath: string,
    private readonly target: AttachSession,
    private readonly live: boolean,
  ) {
    this.gate = {
      stdout: target.stdout,
      stderr: target.stderr,
      write: (stream, data) => {
        if (this.#abort.signal.aborted) return;
        if (this.#held) this.#held.push([stream, data]);
        else target.write(stream, data);
      },
      end: () => {
        if (this.#held) this.#endedDuringReplay = true;
        else target.end();
      },
      onConnected: (conn: AttachConnection) => target.onConnected?.(conn),
    };
  }

  /** Fixes the instant that splits replay from live; call right before connecting or queueing. */
  markCut(): void {
    // Milliseconds, rounded down: erring early can only drop a line, never repeat one.
    this.#cutNs = BigInt(Date.now()) * 1_000_000n;
  }

  /** Replays the log (paced by the session's `drained`), then lets live output through. */
  async run(log: (msg: string) => void): Promise<void> {
    const signal = this.#abort.signal;
    const t = this.target;
    try {
      const entries = readLog(this.logPath, {
        follow: false,
        stdout: t.stdout,
        stderr: t.stderr,
        until: this.#cutNs - 1n,
        signal,
      });
      for await (const e of entries) {
        t.write(e.stream, e.data);
        await t.drained?.();
        if (signal.aborted) break;
      }
    } catch (e) {
      if (!signal.aborted) log(`attach: log replay failed: ${String(e)}`);
    }
    const held = this.#held ?? [];
    this.#held = null;
    if (signal.aborted) return;
    for (const [stream, data] of held) t.write(stream, data);
    if (!this.live || this.#endedDuringReplay) t.end();
  }

  /** Stops the replay (the client left); held output is dropped. */
  abort(): void {
    this.#abort.abort();
    this.#held = null;
  }
}
