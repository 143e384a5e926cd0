import { rfc3339Nano } from '../../lib/time.js';

/** A batch of log lines as offsets into one buffer (see drivers/logging/log-batch.ts). */
export interface LogLines {
  readonly length: number;
  readonly buf: Buffer;
  readonly stream: Uint8Array;
  /** Where line i (its time text) begins, and where the time text ends. */
  readonly lineStart: Uint32Array;
  readonly timeEnd: Uint32Array;
  readonly dataStart: Uint32Array;
  readonly dataEnd: Uint32Array;
  timeNs(i: number): bigint;
}

/** Docker's stamp `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ ` is 31 bytes; conmon's UTC text ends `+00:00`. */
const FAST_STAMP = 31;
const CONMON_UTC_TIME = 35;

/**
 * True if line i's time text is conmon's UTC form `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+00:00`: then
 * Docker's stamp is its first 29 bytes plus `Z ` (what rfc3339Nano would print), with no parse.
 */
function fastStamp(l: LogLines, i: number): boolean {
  const s = l.lineStart[i] as number;
  const b = l.buf;
  return (
    (l.timeEnd[i] as number) - s === CONMON_UTC_TIME &&
    b[s + 19] === 0x2e /* . */ &&
    b[s + 29] === 0x2b /* + */ &&
    b[s + 30] === 0x30 &&
    b[s + 31] === 0x30 &&
    b[s + 32] === 0x3a /* : */ &&
    b[s + 33] === 0x30 &&
    b[s + 34] === 0x30
  );
}

/**
 * Encodes a batch of log lines for GET /logs: raw bytes for a TTY container, otherwise stdcopy
 * frames, one frame per run of consecutive lines of one stream (a valid stdcopy stream: clients
 * demultiplex by frame, and a million 100-byte lines cost a few thousand frames, not a million).
 * With `timestamps`, each line is prefixed by its time in Docker's format (RFC 3339, nine
 * fractional digits, UTC) and a space.
 *
 * The batch is consumed: when every line's output fits before that line's own bytes (always so
 * for conmon's lines: the 45-byte prefix is longer than a frame header or a stamp), the output is
 * compacted in place into `lines.buf` and a view of it returned, with no copy to a new buffer.
 * Callers must not use the batch afterwards; bytes of `buf` after the last line are untouched.
 */
export function encodeLogBatch(lines: LogLines, tty: boolean, timestamps: boolean): Buffer {
  const n = lines.length;
  // Stamps that need the slow path (a time text not in conmon's UTC form), by line.
  let slow: Map<number, Buffer> | undefined;
  const stampLen = (i: number): number => {
    if (!timestamps) return 0;
    if (fastStamp(lines, i)) return FAST_STAMP;
    slow ??= new Map();
    let s = slow.get(i);
    if (s === undefined) {
      s = Buffer.from(`${rfc3339Nano(lines.timeNs(i))} `, 'latin1');
      slow.set(i, s);
    }
    return s.length;
  };
  // Pass 1: the output size, and whether writing in place never overtakes unread bytes.
  let size = 0;
  let inPlace = true;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const st = lines.stream[i] as number;
    if (!tty && st !== prev) {
      size += 8;
      prev = st;
    }
    const sl = stampLen(i);
    if (size > (lines.lineStart[i] as number) || size + sl > (lines.dataStart[i] as number))
      inPlace = false;
    size += sl + (lines.dataEnd[i] as number) - (lines.dataStart[i] as number);
  }
  const src = lines.buf;
  const out = inPlace ? src : Buffer.allocUnsafe(size);
  // Pass 2: write. A frame's header is filled in when its run ends, so in place it only ever
  // lands on bytes already consumed.
  let off = 0;
  let head = -1;
  prev = 0;
  for (let i = 0; i < n; i++) {
    const st = lines.stream[i] as number;
    if (!tty && st !== prev) {
      if (head >= 0) writeHeader(out, head, prev, off - head - 8);
      head = off;
      off += 8;
      prev = st;
    }
    if (timestamps) {
      const ls = lines.lineStart[i] as number;
      const s = slow?.get(i);
      if (s !== undefined) off += s.copy(out, off);
      else {
        if (inPlace) out.copyWithin(off, ls, ls + 29);
        else src.copy(out, off, ls, ls + 29);
        out[off + 29] = 0x5a; // Z
        out[off + 30] = 0x20;
        off += FAST_STAMP;
      }
    }
    const ds = lines.dataStart[i] as number;
    const de = lines.dataEnd[i] as number;
    if (inPlace) out.copyWithin(off, ds, de);
    else src.copy(out, off, ds, de);
    off += de - ds;
  }
  if (head >= 0) writeHeader(out, head, prev, off - head - 8);
  return inPlace ? out.subarray(0, size) : out;
}

function writeHeader(out: Buffer, at: number, stream: number, size: number): void {
  out[at] = stream; // 1 stdout, 2 stderr: the stdcopy stream ids too
  out[at + 1] = 0;
  out[at + 2] = 0;
  out[at + 3] = 0;
  out.writeUInt32BE(size, at + 4);
}
