import type { FileHandle } from 'node:fs/promises';

/**
 * The k8s-file (CRI) log line that conmon writes:
 * `<RFC3339Nano time> <stdout|stderr> <tags> <payload>\n`, where tags is `F` (the payload ended
 * with a newline, which is not stored) or `P` (a partial line: no newline followed).
 */

/** One log line of one stream. */
export interface LogEntry {
  stream: 'stdout' | 'stderr';
  /** The line's timestamp as written (RFC 3339 with nanoseconds). */
  time: string;
  /** The same instant in nanoseconds since the epoch (0n if the text is not a valid time). */
  readonly timeNs: bigint;
  /** The container's bytes: payload + '\n' for an 'F' line, the payload alone for 'P'. */
  data: Buffer;
  /** True for a 'P' line: the container wrote no newline here (yet). */
  partial: boolean;
}

const timePattern =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Nanoseconds since the epoch of an RFC 3339 time with up to 9 fractional digits, or null. */
export function parseRfc3339Nano(s: string): bigint | null {
  const m = timePattern.exec(s);
  if (m === null) return null;
  const [, y, mo, d, h, mi, sec, frac = '', zone = 'Z'] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  if (Number.isNaN(ms)) return null;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return BigInt(ms) * 1_000_000n + BigInt(frac.padEnd(9, '0'));
}

/** A Date (millisecond precision) or nanoseconds since the epoch, as nanoseconds. */
export function toNs(t: Date | bigint): bigint {
  return typeof t === 'bigint' ? t : BigInt(t.getTime()) * 1_000_000n;
}

const SP = 0x20;

/** The stream field of a raw line, without parsing the rest. */
function lineStream(line: Buffer): string | undefined {
  const s1 = line.indexOf(SP);
  if (s1 < 0) return undefined;
  return line.toString('latin1', s1 + 1, s1 + 7);
}

const CHUNK = 64 * 1024;

/**
 * The file offset where the last `n` complete lines whose stream `wanted` accepts begin, found
 * by reading backwards in chunks (memory: one chunk plus one line). 0 when there are fewer.
 * An unterminated last line (being written) is not counted.
 */
export async function findTailOffset(
  fh: FileHandle,
  n: number,
  wanted: (stream: string) => boolean,
): Promise<number> {
  let pos = (await fh.stat()).size;
  if (n <= 0) return pos;
  // The file's bytes [pos, pos + data.length): not yet counted, ending just after a '\n' once
  // `trimmed` (an unterminated last line, still being written, is dropped first).
  let data: Buffer = Buffer.alloc(0);
  let trimmed = false;
  let found = 0;
  while (pos > 0) {
    const len = Math.min(CHUNK, pos);
    pos -= len;
    const chunk = Buffer.alloc(len);
    await fh.read(chunk, 0, len, pos);
    data = Buffer.concat([chunk, data]);
    if (!trimmed) {
      const last = data.lastIndexOf(10);
      if (last < 0) {
        data = Buffer.alloc(0);
        continue;
      }
      data = data.subarray(0, last + 1);
      trimmed = true;
    }
    let end = data.length - 1; // the '\n' that ends the line under consideration
    while (end >= 0) {
      const nl = end > 0 ? data.lastIndexOf(10, end - 1) : -1;
      if (nl < 0 && pos > 0) break; // the line starts in an earlier chunk
      const stream = lineStream(data.subarray(nl + 1, end));
      if (stream !== undefined && wanted(stream) && ++found === n) return pos + nl + 1;
      end = nl;
    }
    data = data.subarray(0, end + 1);
  }
  return 0;
}
