import { watch, type FSWatcher } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { findTailOffset, toNs, type LogEntry } from './k8s-file-format.js';
import { ChunkReader, HEADROOM, MAX_CHUNK, MIN_CHUNK } from './chunk-reader.js';
import { parseLines, timeKey, type LogBatch } from './log-batch.js';

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

/**
 * Reads conmon's k8s-file log (LOWLEVEL §2.2) as entries, one per log line: an 'F' line's data
 * is its payload plus '\n', a 'P' (partial) line's data its payload alone, so concatenating the
 * data of one stream reproduces the container's bytes exactly (Docker's json-file keeps partial
 * chunks as separate entries the same way). Memory stays bounded: the file is read in 64 KiB
 * chunks and `tail` scans backwards from the end. A missing file yields nothing.
 * Truncation by `--log-size-max` is followed (reading restarts at 0); rotation by rename is not.
 */
export async function* readLog(path: string, opts: ReadLogOptions): AsyncGenerator<LogEntry> {
  // 64 KiB reads: this path pays per line (an object and a view each) and its consumers write
  // line by line, so large reads buy nothing here and only keep more garbage between GCs.
  for await (const batch of readLogBatches(path, opts, MIN_CHUNK)) {
    for (let i = 0; i < batch.length; i++) yield batch.entry(i);
  }
}

/**
 * {@link readLog} a chunk at a time: each batch holds the entries of one read (never
 * empty). Consumers that move many lines (GET /logs) use this to pay the async-iteration cost
 * once per chunk instead of once per line. A batch is valid until the next one is asked for
 * (its arrays are reused then; entries made from it stay valid). Each batch owns its buffer up
 * to its last line: the consumer may overwrite those bytes (encodeLogBatch compacts in place),
 * the generator never reads them again. The next read is already under way while the consumer
 * handles a batch. Reads grow to `maxChunk` bytes (1 MiB by default).
 */
export async function* readLogBatches(
  path: string,
  opts: ReadLogOptions,
  maxChunk = MAX_CHUNK,
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
    const sinceKey = sinceNs === undefined ? null : timeKey(sinceNs);
    const untilKey = untilNs === undefined ? null : timeKey(untilNs);
    const tail = opts.tail ?? -1;
    const start = tail >= 0 ? await findTailOffset(fh, tail, wanted) : 0;
    const reader = new ChunkReader(fh, start, maxChunk);
    let draining = false;
    let last: LogBatch | undefined;
    try {
      for (;;) {
        if (opts.signal.aborted) return;
        const { buf, end, bytesRead } = await reader.next();
        if (bytesRead > 0) {
          // The last batch's arrays are reused: a consumer is done with a batch when it asks
          // for the next one.
          const { batch, consumed } = parseLines(buf, end, mask, HEADROOM, last);
          last = batch;
          reader.keep(buf.subarray(consumed, end));
          let past = false;
          if (untilNs !== undefined || sinceNs !== undefined) {
            batch.filter((i) => {
              if (untilNs !== undefined && batch.compareTime(i, untilNs, untilKey) > 0) past = true;
              return (
                !past && (sinceNs === undefined || batch.compareTime(i, sinceNs, sinceKey) >= 0)
              );
            });
          }
          if (past) {
            if (batch.length > 0) yield batch;
            return;
          }
          reader.prefetch(); // the next read runs while the consumer sends this batch
          if (batch.length > 0) yield batch;
          continue;
        }
        if (!opts.follow || draining) return;
        if (stopped) {
          draining = true; // one more pass to EOF picks up what conmon wrote before the exit
          continue;
        }
        await wake.wait();
        if ((await fh.stat()).size < reader.pos) reader.reset(0); // truncated: --log-size-max
      }
    } finally {
      await reader.settle();
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
