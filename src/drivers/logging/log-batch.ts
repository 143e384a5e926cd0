import { rfc3339Nano } from '../../lib/time.js';
import { parseRfc3339Nano, type LogEntry } from './k8s-file-format.js';

const SP = 0x20;
const NL = 0x0a;
const F = 0x46;
const P = 0x50;
/** The shortest line parseLine accepts: a 20-byte time, ' stdout ', a 1-byte tag, '\n'. */
const MIN_LINE = 30;

/**
 * The lines parsed from one read of a k8s-file log, kept as offsets into one buffer instead of an
 * object per line: a 100 MB log is a million lines, and the logs endpoint only copies bytes.
 * Line i: stream `stream[i]` (1 stdout, 2 stderr), its time text `time(i)`, its data — the
 * payload plus the '\n' of an 'F' line, the payload alone for a 'P' line — at
 * `buf[dataStart[i], dataEnd[i])`.
 */
export class LogBatch {
  length = 0;
  readonly stream: Uint8Array;
  readonly timeEnd: Uint32Array;
  readonly lineStart: Uint32Array;
  readonly dataStart: Uint32Array;
  readonly dataEnd: Uint32Array;

  constructor(
    public buf: Buffer,
    readonly capacity: number,
  ) {
    this.stream = new Uint8Array(capacity);
    this.timeEnd = new Uint32Array(capacity);
    this.lineStart = new Uint32Array(capacity);
    this.dataStart = new Uint32Array(capacity);
    this.dataEnd = new Uint32Array(capacity);
  }

  /** The time text of line i, as conmon wrote it. */
  time(i: number): string {
    return this.buf.toString('latin1', this.lineStart[i], this.timeEnd[i]);
  }

  /** Nanoseconds since the epoch of line i (0n if its time is not valid). */
  timeNs(i: number): bigint {
    return parseRfc3339Nano(this.time(i)) ?? 0n;
  }

  /**
   * The sign of line i's time minus `ns`. With `key` (= timeKey(ns)) a line in conmon's UTC form
   * is compared byte for byte, with no string or bigint per line; any other line is parsed.
   */
  compareTime(i: number, ns: bigint, key: Buffer | null): number {
    const s = this.lineStart[i] as number;
    if (key !== null && isConmonUtc(this.buf, s, this.timeEnd[i] as number))
      return this.buf.compare(key, 0, KEY_LEN, s, s + KEY_LEN);
    const t = this.timeNs(i);
    return t < ns ? -1 : t > ns ? 1 : 0;
  }

  /** Line i as an entry object (its data a view of `buf`). */
  entry(i: number): LogEntry {
    const buf = this.buf;
    const time = this.time(i);
    let ns: bigint | undefined;
    return {
      stream: this.stream[i] === 1 ? 'stdout' : 'stderr',
      time,
      get timeNs() {
        ns ??= parseRfc3339Nano(time) ?? 0n;
        return ns;
      },
      data: buf.subarray(this.dataStart[i], this.dataEnd[i]),
      partial: buf[(this.dataEnd[i] as number) - 1] !== NL || this.dataEnd[i] === this.dataStart[i],
    };
  }

  /** Keeps only the lines `keep` accepts (used for since/until filtering). */
  filter(keep: (i: number) => boolean): void {
    let w = 0;
    for (let i = 0; i < this.length; i++) {
      if (!keep(i)) continue;
      this.stream[w] = this.stream[i] as number;
      this.timeEnd[w] = this.timeEnd[i] as number;
      this.lineStart[w] = this.lineStart[i] as number;
      this.dataStart[w] = this.dataStart[i] as number;
      this.dataEnd[w] = this.dataEnd[i] as number;
      w++;
    }
    this.length = w;
  }
}

/** `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn`: up to here conmon's UTC time text sorts as it counts. */
const KEY_LEN = 29;
const UTC_SUFFIX = Buffer.from('+00:00', 'latin1');

/** True if buf[start, end) is conmon's UTC time text `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+00:00`. */
function isConmonUtc(buf: Buffer, start: number, end: number): boolean {
  return (
    end - start === KEY_LEN + 6 &&
    buf[start + 4] === 0x2d /* - */ &&
    buf[start + 10] === 0x54 /* T */ &&
    buf[start + 19] === 0x2e /* . */ &&
    buf.compare(UTC_SUFFIX, 0, 6, start + KEY_LEN, end) === 0
  );
}

/**
 * The byte key of instant `ns` for {@link LogBatch.compareTime}: its time text up to the
 * nanoseconds, or null when it has no such form (a year outside 0000–9999).
 */
export function timeKey(ns: bigint): Buffer | null {
  let text: string;
  try {
    text = rfc3339Nano(ns).slice(0, KEY_LEN);
  } catch {
    return null; // beyond what Date can print: every line is compared by parsing
  }
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}$/.test(text) ? Buffer.from(text, 'latin1') : null;
}

/** Which streams a reader wants: bit 1 stdout, bit 2 stderr. */
export type StreamMask = number;

/**
 * Parses every complete line of `buf[from, end)` into a batch, keeping those of the wanted
 * streams. Returns the batch and the offset after the last complete line. `reuse`, a batch the
 * caller is done with, gives its arrays to the new one when they are large enough: a reader that
 * parses a MiB at a time then allocates its offset arrays once, not per read (less GC).
 */
export function parseLines(
  buf: Buffer,
  end: number,
  wanted: StreamMask,
  from = 0,
  reuse?: LogBatch,
): { batch: LogBatch; consumed: number } {
  // Size the arrays for the worst case: every line as short as a valid one can be.
  const capacity = Math.ceil((end - from) / MIN_LINE) + 1;
  let batch: LogBatch;
  if (reuse !== undefined && reuse.capacity >= capacity) {
    batch = reuse;
    batch.buf = buf;
    batch.length = 0;
  } else batch = new LogBatch(buf, capacity);
  let start = from;
  for (let nl = buf.indexOf(NL, from); nl >= 0 && nl < end; nl = buf.indexOf(NL, start)) {
    parseLine(batch, buf, start, nl, wanted);
    start = nl + 1;
  }
  return { batch, consumed: start };
}

function parseLine(b: LogBatch, buf: Buffer, start: number, nl: number, wanted: StreamMask): void {
  const s1 = buf.indexOf(SP, start);
  if (s1 < 0 || s1 >= nl || s1 - start < 20 || buf[start + 10] !== 0x54 /* T */) return;
  const s2 = s1 + 7;
  if (
    s2 >= nl ||
    buf[s2] !== SP ||
    buf[s1 + 1] !== 0x73 /* s */ ||
    buf[s1 + 2] !== 0x74 /* t */ ||
    buf[s1 + 3] !== 0x64 /* d */
  )
    return;
  let stream: number;
  if (buf[s1 + 4] === 0x6f && buf[s1 + 5] === 0x75 && buf[s1 + 6] === 0x74)
    stream = 1; // out
  else if (buf[s1 + 4] === 0x65 && buf[s1 + 5] === 0x72 && buf[s1 + 6] === 0x72)
    stream = 2; // err
  else return;
  if ((wanted & stream) === 0) return;
  let s3 = buf.indexOf(SP, s2 + 1);
  if (s3 < 0 || s3 > nl) s3 = nl; // an empty payload may come without the separating space
  let partial: boolean;
  if (s3 === s2 + 2 && (buf[s2 + 1] === F || buf[s2 + 1] === P)) partial = buf[s2 + 1] === P;
  else {
    const tags = buf.toString('latin1', s2 + 1, s3).split(':');
    partial = tags.includes('P');
    if (!partial && !tags.includes('F')) return;
  }
  const i = b.length++;
  b.stream[i] = stream;
  b.lineStart[i] = start;
  b.timeEnd[i] = s1;
  b.dataStart[i] = Math.min(s3 + 1, nl);
  b.dataEnd[i] = partial ? nl : nl + 1;
}
