import { readLog } from '../../drivers/logging/k8s-file.js';
import type { AttachConnection } from '../../drivers/runtime/attach.js';
import type { AttachSession } from './attach-hub.js';

/**
 * Attach with `logs=1`: the container's log is replayed to the session before live output.
 *
 * To a running container ({@link LogReplay.follow}), all output comes from the log: the replay
 * continues as a follow until the container exits, and the live connection is used for input
 * only. The log is one ordered record, so every line arrives exactly once, with no gap between
 * history and live (Docker replays, then attaches, and can lose what is written in between).
 *
 * To a container that is not running yet, no line is sent twice: every log line stamped before
 * {@link LogReplay.markCut} (taken just before queueing) belongs to an earlier run, and live
 * output that arrives while the replay runs is held back and sent after it, in order.
 */
export class LogReplay {
  /** The session to connect (or queue) in place of the caller's: it holds live output back. */
  readonly gate: AttachSession;
  #cutNs = 0n;
  readonly #abort = new AbortController();
  /** Live output held back during the replay; null once the replay is done. */
  #held: Array<['stdout' | 'stderr', Buffer]> | null = [];
  #endedDuringReplay = false;
  /** Set by {@link follow}: the log is followed until this resolves (the container exited). */
  #stopped: Promise<void> | undefined;

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
        if (this.#abort.signal.aborted || this.#stopped) return; // following: the log has it

        if (this.#held) this.#held.push([stream, data]);
        else target.write(stream, data);
      },
      end: () => {
        if (this.#stopped) return; // following: the follow ends once the log is drained
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

  /** Serves all output from the log, followed until `stopped` resolves (a running container). */
  follow(stopped: Promise<void>): void {
    this.#stopped = stopped;
  }

  /** Replays the log (paced by the session's `drained`), then lets live output through. */
  async run(log: (msg: string) => void): Promise<void> {
    const signal = this.#abort.signal;
    const t = this.target;
    try {
      const entries = readLog(this.logPath, {
        stdout: t.stdout,
        stderr: t.stderr,
        signal,
        ...(this.#stopped
          ? { follow: this.live, stopped: this.#stopped }
          : { follow: false, until: this.#cutNs - 1n }),
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
    if (this.#stopped) return t.end();
    for (const [stream, data] of held) t.write(stream, data);
    if (!this.live || this.#endedDuringReplay) t.end();
  }

  /** Stops the replay (the client left); held output is dropped. */
  abort(): void {
    this.#abort.abort();
    this.#held = null;
  }
}
