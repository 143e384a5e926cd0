import { rfc3339Nano } from '../../lib/time.js';

/** A batch of log lines as offsets into one buffer (see drivers/logging/log-batch.ts). */
export interface LogLines {
  readonly length: number;
  readonly buf: Buffer;
  readonly stream: Uint8Array;
  readonly dataStart: Uint32Array;
  readonly dataEnd: Uint32Array;
  timeNs(i: number): bigint;
}

/**
 * Encodes a batch of log lines into one buffer: stdcopy frames (8-byte header per line) for a
 * non-TTY container, raw bytes for a TTY one; with `timestamps`, each line is prefixed by its time
 * in Docker's format (RFC 3339, nine fractional digits, UTC).
 */
export function encodeLogBatch(lines: LogLines, tty: boolean, timestamps: boolean): Buffer {
  const n = lines.length;
  const stamps: Buffer[] = [];
  if (timestamps)
    for (let i = 0; i < n; i++)
      stamps.push(Buffer.from(`${rfc3339Nano(lines.timeNs(i))} `, 'latin1'));
  let size = 0;
  for (let i = 0; i < n; i++) {
    size +=
      (tty ? 0 : 8) +
      (stamps[i]?.length ?? 0) +
      (lines.dataEnd[i] as number) -
      (lines.dataStart[i] as number);
  }
  const out = Buffer.allocUnsafe(size);
  let off = 0;
  for (let i = 0; i < n; i++) {
    const start = lines.dataStart[i] as number;
    const end = lines.dataEnd[i] as number;
    const stamp = stamps[i];
    if (!tty) {
      out[off] = lines.stream[i] as number; // 1 stdout, 2 stderr: the stdcopy stream ids too
      out[off + 1] = 0;
      out[off + 2] = 0;
      out[off + 3] = 0;
      out.writeUInt32BE((stamp?.length ?? 0) + end - start, off + 4);
      off += 8;
    }
    if (stamp) off += stamp.copy(out, off);
    off += lines.buf.copy(out, off, start, end);
  }
  return out;
}
