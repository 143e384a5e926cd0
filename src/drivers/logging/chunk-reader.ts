import type { FileHandle } from 'node:fs/promises';

/**
 * Bytes per read: from 64 KiB, doubled after each read that filled its buffer, up to 1 MiB (or
 * the reader's own cap).
 * Large reads are what make GET /logs fast (one thread-pool round trip and one socket write per
 * MiB), while a follower woken for a few new lines does not take a MiB each time.
 */
export const MIN_CHUNK = 64 * 1024;
export const MAX_CHUNK = 1024 * 1024;

/**
 * Unused bytes before the data in each buffer, so that a consumer compacting lines in place
 * (encodeLogBatch) has room for a frame header and a time stamp before the first line too.
 */
export const HEADROOM = 64;

/** One read: `buf[HEADROOM, end)` is the kept rest of the previous read plus `bytesRead` new bytes. */
export interface Chunk {
  buf: Buffer;
  end: number;
  bytesRead: number;
}

/**
 * Reads a file forward in chunks, at most one read ahead: {@link prefetch} starts the next read
 * so that it runs in the thread pool while the caller parses and sends the current chunk. Every
 * chunk is a fresh buffer (the caller may hand out views into it or overwrite it); the caller
 * passes back the unparsed tail of a chunk with {@link keep}, and it starts the next one.
 * Memory: at most two chunks plus the kept tail.
 */
export class ChunkReader {
  #pos: number;
  #chunk = MIN_CHUNK;
  #carry: Buffer = Buffer.alloc(0);
  #pending: Promise<Chunk> | undefined;
  #spare: Buffer | undefined; // a buffer whose read found nothing: never handed out

  /** `maxChunk` (MIN_CHUNK..MAX_CHUNK) caps the read size. */
  constructor(
    private readonly fh: FileHandle,
    pos: number,
    private readonly maxChunk = MAX_CHUNK,
  ) {
    this.#pos = pos;
  }

  /** The file offset up to which bytes have been read. */
  get pos(): number {
    return this.#pos;
  }

  /** Starts the next read now, unless one is already under way. */
  prefetch(): void {
    this.#pending ??= this.#read();
  }

  /** The next chunk (the prefetched one, or a read started now); `bytesRead` 0 at end of file. */
  async next(): Promise<Chunk> {
    const p = this.#pending ?? this.#read();
    this.#pending = undefined;
    return p;
  }

  /** The bytes of the last chunk not yet used (a line still being written): read again first. */
  keep(rest: Buffer): void {
    this.#carry = rest;
  }

  /** Starts over at `pos` with nothing kept (the file was truncated). No read may be pending. */
  reset(pos: number): void {
    this.#pos = pos;
    this.#carry = Buffer.alloc(0);
  }

  /** Waits for a read still under way (before the file handle is closed). */
  async settle(): Promise<void> {
    await this.#pending?.catch(() => undefined);
    this.#pending = undefined;
  }

  async #read(): Promise<Chunk> {
    const carry = this.#carry;
    const chunk = this.#chunk;
    const size = HEADROOM + carry.length + chunk;
    const spare = this.#spare;
    this.#spare = undefined;
    const buf = spare !== undefined && spare.length >= size ? spare : Buffer.allocUnsafe(size);
    carry.copy(buf, HEADROOM);
    const { bytesRead } = await this.fh.read(buf, HEADROOM + carry.length, chunk, this.#pos);
    if (bytesRead === 0) this.#spare = buf;
    this.#pos += bytesRead;
    if (bytesRead === chunk) this.#chunk = Math.min(chunk * 2, this.maxChunk);
    return { buf, end: HEADROOM + carry.length + bytesRead, bytesRead };
  }
}
