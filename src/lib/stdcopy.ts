/**
 * Docker's stdcopy framing, used on non-TTY attach/logs/exec streams: each frame is an 8-byte
 * header `[stream, 0, 0, 0, size (big-endian uint32)]` followed by `size` payload bytes.
 * Stream 0 = stdin, 1 = stdout, 2 = stderr, 3 = systemerr (an error the engine reports).
 */
export type StdcopyStream = 0 | 1 | 2 | 3;

const HEADER = 8;
const MAX_FRAME = 0xffffffff;

/** One header + payload. Payloads larger than 4 GiB - 1 are split into several frames. */
export function frameStdcopy(stream: StdcopyStream, data: Buffer): Buffer {
  if (data.length <= MAX_FRAME) return Buffer.concat([header(stream, data.length), data]);
  const parts: Buffer[] = [];
  for (let off = 0; off < data.length; off += MAX_FRAME) {
    const piece = data.subarray(off, Math.min(off + MAX_FRAME, data.length));
    parts.push(header(stream, piece.length), piece);
  }
  return Buffer.concat(parts);
}

function header(stream: StdcopyStream, size: number): Buffer {
  const h = Buffer.alloc(HEADER);
  h[0] = stream;
  h.writeUInt32BE(size, 4);
  return h;
}

/** A piece of a frame's payload; consecutive pieces of one frame share `stream`. */
export interface StdcopyChunk {
  stream: StdcopyStream;
  data: Buffer;
}

/** Thrown by {@link StdcopyDemuxer} on bytes that are not stdcopy frames. */
export class StdcopyFormatError extends Error {}

/**
 * Incremental decoder for a stdcopy byte stream (client side). Memory is bounded by the header
 * size: payload is passed on as it arrives, so a 1 GiB frame is never buffered whole.
 */
export class StdcopyDemuxer {
  #header = Buffer.alloc(HEADER);
  #headerFill = 0;
  #stream: StdcopyStream = 1;
  #remaining = 0;

  /** Decodes `chunk`; returns the payload pieces it completes, in order. */
  push(chunk: Buffer): StdcopyChunk[] {
    const out: StdcopyChunk[] = [];
    let off = 0;
    while (off < chunk.length) {
      if (this.#remaining > 0) {
        const n = Math.min(this.#remaining, chunk.length - off);
        out.push({ stream: this.#stream, data: chunk.subarray(off, off + n) });
        this.#remaining -= n;
        off += n;
        continue;
      }
      const n = Math.min(HEADER - this.#headerFill, chunk.length - off);
      chunk.copy(this.#header, this.#headerFill, off, off + n);
      this.#headerFill += n;
      off += n;
      if (this.#headerFill < HEADER) break;
      this.#headerFill = 0;
      const h = this.#header;
      if (h[0]! > 3 || h[1] !== 0 || h[2] !== 0 || h[3] !== 0) {
        throw new StdcopyFormatError(`not a stdcopy header: ${h.toString('hex')}`);
      }
      this.#stream = h[0] as StdcopyStream;
      this.#remaining = h.readUInt32BE(4);
    }
    return out;
  }

  /** Call at end of input; throws if it stopped inside a frame. */
  end(): void {
    if (this.#headerFill !== 0 || this.#remaining !== 0) {
      throw new StdcopyFormatError('stdcopy stream ended inside a frame');
    }
  }
}
