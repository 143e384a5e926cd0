import { watch, type FSWatcher } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { findTailOffset, toNs, type LogEntry } from './k8s-file-format.js';
import { parseLines, type LogBatch } from './log-batch.js';

export type { LogEntry } from './k8s-file-format.js';
export type { LogBatch } from './log-batch.js';

/** What {@link readLog} returns and when it stops. */
export interface ReadLogOptions {
  /** Keep reading new lines until `stopped` resolves (then drain and end) or `signal` aborts. */
  follow: boolean;
  /** Only entries at or after this instant (a bigint is nanoseconds since the epoch). */
  since?: Date | bigint;
  /** Stop at the first entry after this instant. */
  until?: Date | bigint;
  /** Only the last N entries of the selected streams (-1 or absent: all). Applied before since. */
  tail?: number;
  stdout: boolean;
  stderr: boolean;
  /** Ends the iteration quietly. */
  signal: AbortSignal;
  /** Resolves when the container has exited: a follower reads what is left and ends. */
  stopped?: Promise<void>;
}

const CHUNK = 64 * 1024;

/**
 * Reads conmon's k8s-file log (LOWLEVEL §2.2) as entries, one per log line: an 'F' line's data
 * is its payload plus '\n', a 'P' (partial) line's data its payload alone, so concatenating the
 * data of one stream reproduces the container's bytes exactly (Docker's json-file keeps partial
 * chunks as separate entries the same way). Memory stays bounded: the file is read in 64 KiB
 * chunks and `tail` scans backwards from the end. A missing file yields nothing.
 * Truncation by `--log-size-max` is followed (reading restarts at 0); rotation by rename is not.
 */
export async function* readLog(path: string, opts: ReadLogOptions): AsyncGenerator<LogEntry> {
  for await (const batch of readLogBatches(path, opts)) {
    for (let i = 0; i < batch.length; i++) yield batch.entry(i);
  }
}

/**
 * {@link readLog} a chunk at a time: each batch holds the entries of one 64 KiB read (never
 * empty). Consumers that move many lines (GET /logs) use this to pay the async-iteration cost
 * once per chunk instead of once per line.
 */
export async function* readLogBatches(
  path: string,
  opts: ReadLogOptions,
): AsyncGenerator<LogBatch> {
  if (opts.signal.aborted) return;
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const wake = new Wakeup();
  let watcher: FSWatcher | undefined;
  let stopped = false;
  const onAbort = (): void => wake.notify();
  opts.signal.addEventListener('abort', onAbort);
  try {
    if (opts.follow) {
      // Watch before the first read so that no append between read and wait is missed.
      watcher = watch(path, () => wake.notify());
      watcher.on('error', () => wake.notify());
      const onStopped = (): void => {
        stopped = true;
        wake.notify();
      };
      void opts.stopped?.then(onStopped, onStopped); // a rejected `stopped` also ends the follow
    }
    const wanted = (s: string): boolean => (s === 'stdout' ? opts.stdout : opts.stderr);
    const mask = (opts.stdout ? 1 : 0) | (opts.stderr ? 2 : 0);
    const sinceNs = opts.since === undefined ? undefined : toNs(opts.since);
    const untilNs = opts.until === undefined ? undefined : toNs(opts.until);
    const tail = opts.tail ?? -1;
    let pos = tail >= 0 ? await findTailOffset(fh, tail, wanted) : 0;
    let carry: Buffer = Buffer.alloc(0);
    const buf = Buffer.alloc(CHUNK);
    let draining = false;
    for (;;) {
      if (opts.signal.aborted) return;
      const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
      if (bytesRead > 0) {
        pos += bytesRead;
        // A fresh buffer per read: the entries handed out are views into it (no copy per line).
        const data = Buffer.concat([carry, buf.subarray(0, bytesRead)]);
        const { batch, consumed } = parseLines(data, data.length, mask);
        let past = false;
        if (untilNs !== undefined || sinceNs !== undefined) {
          batch.filter((i) => {
            const t = batch.timeNs(i);
            if (untilNs !== undefined && t > untilNs) past = true;
            return !past && (sinceNs === undefined || t >= sinceNs);
          });
        }
        if (batch.length > 0) yield batch;
        if (past || opts.signal.aborted) return;
        carry = data.subarray(consumed);
        continue;
      }
      if (!opts.follow || draining) return;
      if (stopped) {
        draining = true; // one more pass to EOF picks up what conmon wrote before the exit
        continue;
      }
      await wake.wait();
      if ((await fh.stat()).size < pos) {
        pos = 0; // truncated by conmon's --log-size-max
        carry = Buffer.alloc(0);
      }
    }
  } finally {
    opts.signal.removeEventListener('abort', onAbort);
    watcher?.close();
    await fh.close();
  }
}

/** A level-triggered wake-up: a notify before wait() is not lost. */
class Wakeup {
  #pending = false;
  #resolve: (() => void) | undefined;

  notify(): void {
    this.#pending = true;
    const r = this.#resolve;
    this.#resolve = undefined;
    r?.();
  }

  async wait(): Promise<void> {
    if (!this.#pending) await new Promise<void>((r) => (this.#resolve = r));
    this.#pending = false;
  }
}
