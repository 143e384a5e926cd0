import { rfc3339Nano } from '../../lib/time.js';

/** A log line as the logs endpoint sends it. */
export interface LogLine {
  stream: 'stdout' | 'stderr';
  timeNs: bigint;
  data: Buffer;
}

/**
 * Encodes a batch of log lines into one buffer: stdcopy frames (8-byte header per line) for a
 * non-TTY container, raw bytes for a TTY one; with `timestamps`, each line is prefixed by its time
 * in Docker's format (RFC 3339, nine fractional digits, UTC).
 */
export function encodeLogBatch(
  lines: readonly LogLine[],
  tty: boolean,
  timestamps: boolean,
): Buffer {
  const stamps = timestamps
    ? lines.map((l) => Buffer.from(`${rfc3339Nano(l.timeNs)} `, 'latin1'))
    : [];
  let size = 0;
  lines.forEach((l, i) => (size += (tty ? 0 : 8) + (stamps[i]?.length ?? 0) + l.data.length));
  const out = Buffer.allocUnsafe(size);
  let off = 0;
  lines.forEach((l, i) => {
    const stamp = stamps[i];
    if (!tty) {
      out[off] = l.stream === 'stdout' ? 1 : 2;
      out[off + 1] = 0;
      out[off + 2] = 0;
      out[off + 3] = 0;
      out.writeUInt32BE((stamp?.length ?? 0) + l.data.length, off + 4);
      off += 8;
    }
    if (stamp) off += stamp.copy(out, off);
    off += l.data.copy(out, off);
  });
  return out;
}
