import { createHash, randomBytes } from 'node:crypto';
import { constants, createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { invalidParameter, notFound, systemError } from '../../errors/index.js';
import { digestHex, isDigest, type Digest } from '../../lib/digest.js';

/** What a caller expects an ingested blob to be; each given field is checked. */
export interface ExpectedBlob {
  digest?: Digest;
  size?: number;
}

/** A blob as stored: its digest and size in bytes. */
export interface BlobInfo {
  digest: Digest;
  size: number;
}

/** Options of {@link ContentStore.readBuffer}. */
export interface ReadBufferOptions {
  /** Refuse blobs larger than this (default 32 MiB): manifests and configs are small. */
  maxBytes?: number;
  /** Re-hash the bytes and fail if they do not match `digest` (use for manifests/configs). */
  verify?: boolean;
}

const DEFAULT_MAX_READ = 32 * 1024 * 1024;

/** Throws InvalidParameter unless `d` is `sha256:<64 lowercase hex>`; guards every path we build. */
export function assertDigest(d: string): asserts d is Digest {
  if (!isDigest(d)) throw invalidParameter(`invalid digest "${String(d).slice(0, 80)}"`);
}

/**
 * Blobs addressed by digest, as containerd's local store: `<root>/blobs/sha256/<hex>` (mode 0444)
 * and `<root>/ingest/` for partial writes. A blob becomes visible only after its digest and size
 * were verified, the data fsynced and the temp file renamed into place, so a reader never sees a
 * partial or wrong blob. Concurrent ingests of the same digest each write their own temp file; the
 * renames replace identical content atomically, so they are safe without a lock.
 */
export class ContentStore {
  private constructor(readonly root: string) {}

  /** Opens (creating if needed) the store at `root`. */
  static async open(root: string): Promise<ContentStore> {
    await mkdir(join(root, 'blobs', 'sha256'), { recursive: true });
    await mkdir(join(root, 'ingest'), { recursive: true });
    return new ContentStore(root);
  }

  /** The file path of blob `d` (whether or not it exists). */
  path(d: Digest): string {
    assertDigest(d);
    return join(this.root, 'blobs', 'sha256', digestHex(d));
  }

  /** True when blob `d` is stored. */
  async has(d: Digest): Promise<boolean> {
    return (await this.size(d)) !== null;
  }

  /** The size of blob `d`, or null when it is not stored. */
  async size(d: Digest): Promise<number | null> {
    try {
      return (await stat(this.path(d))).size;
    } catch (e) {
      if (isErrno(e, 'ENOENT')) return null;
      throw e;
    }
  }

  /** Reads a whole (small) blob. NotFound when absent; InvalidParameter when too large or corrupt. */
  async readBuffer(d: Digest, opts: ReadBufferOptions = {}): Promise<Buffer> {
    const max = opts.maxBytes ?? DEFAULT_MAX_READ;
    const fh = await this.openBlob(d);
    let data: Buffer;
    try {
      const { size } = await fh.stat();
      if (size > max) throw invalidParameter(`blob ${d} is ${size} bytes, more than ${max}`);
      data = await fh.readFile();
    } finally {
      await fh.close();
    }
    if (opts.verify === true) {
      const actual = `sha256:${createHash('sha256').update(data).digest('hex')}`;
      if (actual !== d) throw systemError(`content store: blob ${d} is corrupt (has ${actual})`);
    }
    return data;
  }

  /**
   * A read stream over blob `d`. The digest is validated now; a missing blob surfaces as an
   * ENOENT error on the stream, so callers that want NotFound check {@link has} first.
   */
  createReadStream(d: Digest): ReadStream {
    return createReadStream(this.path(d));
  }

  /** Stores an in-memory blob, verifying `expected` first. */
  async writeBlob(data: Uint8Array, expected: ExpectedBlob = {}): Promise<BlobInfo> {
    const digest: Digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    checkExpected(expected, digest, data.byteLength);
    if ((await this.size(digest)) === data.byteLength) return { digest, size: data.byteLength };
    const { tmp, fh } = await this.tempFile();
    try {
      await fh.writeFile(data);
      await this.commit(tmp, fh, digest);
    } catch (e) {
      await discard(tmp, fh);
      throw e;
    }
    return { digest, size: data.byteLength };
  }

  /**
   * Streams `src` into the store, hashing as it goes. Rejects with InvalidParameter (and leaves
   * nothing behind) when the digest or size differ from `expected`; stops reading as soon as the
   * stream exceeds `expected.size`.
   */
  async ingest(src: Readable, expected: ExpectedBlob = {}): Promise<BlobInfo> {
    if (expected.digest !== undefined) assertDigest(expected.digest);
    const { tmp, fh } = await this.tempFile();
    // One write in flight while the next chunk is received and hashed: a download teed into
    // this and an unpack (shared backpressure) does not stall on each write's round trip.
    let writing: Promise<unknown> = Promise.resolve();
    try {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of src as AsyncIterable<Buffer | string>) {
        const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        const at = size;
        size += buf.byteLength;
        if (expected.size !== undefined && size > expected.size) {
          src.destroy();
          throw invalidParameter(`blob is larger than the expected ${expected.size} bytes`);
        }
        hash.update(buf);
        await writing;
        writing = writeAll(fh, buf, at);
        writing.catch(() => undefined); // observed by the next await or below
      }
      await writing;
      const digest: Digest = `sha256:${hash.digest('hex')}`;
      checkExpected(expected, digest, size);
      await this.commit(tmp, fh, digest);
      return { digest, size };
    } catch (e) {
      await writing.catch(() => undefined); // never close the file under a running write
      await discard(tmp, fh);
      throw e;
    }
  }

  /** Deletes blob `d`; returns false when it was not stored. */
  async delete(d: Digest): Promise<boolean> {
    try {
      await unlink(this.path(d));
      return true;
    } catch (e) {
      if (isErrno(e, 'ENOENT')) return false;
      throw e;
    }
  }

  /** Every stored blob's digest (order unspecified). Stray files are skipped. */
  async *list(): AsyncIterable<Digest> {
    for (const name of await readdir(join(this.root, 'blobs', 'sha256'))) {
      const d = `sha256:${name}`;
      if (isDigest(d)) yield d;
    }
  }

  private async openBlob(d: Digest) {
    try {
      return await open(this.path(d), constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (e) {
      if (isErrno(e, 'ENOENT')) throw notFound(`content ${d}: not found`);
      throw e;
    }
  }

  private async tempFile() {
    const tmp = join(this.root, 'ingest', `${Date.now()}-${randomBytes(8).toString('hex')}`);
    return { tmp, fh: await open(tmp, 'wx', 0o600) };
  }

  /** fsync → chmod 0444 → close → rename into place: readers see all of the blob or nothing. */
  private async commit(tmp: string, fh: Awaited<ReturnType<typeof open>>, d: Digest) {
    await fh.sync();
    await fh.chmod(0o444);
    await fh.close();
    await rename(tmp, this.path(d));
  }
}

/** Writes all of `buf` at `pos` (a short write is continued, not lost). */
async function writeAll(fh: FileHandle, buf: Buffer, pos: number): Promise<void> {
  for (let off = 0; off < buf.byteLength;) {
    const { bytesWritten } = await fh.write(buf, off, buf.byteLength - off, pos + off);
    off += bytesWritten;
  }
}

function checkExpected(expected: ExpectedBlob, digest: Digest, size: number): void {
  if (expected.size !== undefined && expected.size !== size)
    throw invalidParameter(`blob size mismatch: expected ${expected.size} bytes, got ${size}`);
  if (expected.digest !== undefined && expected.digest !== digest)
    throw invalidParameter(`blob digest mismatch: expected ${expected.digest}, got ${digest}`);
}

async function discard(tmp: string, fh: Awaited<ReturnType<typeof open>>): Promise<void> {
  await fh.close().catch(() => undefined);
  await unlink(tmp).catch(() => undefined);
}

function isErrno(e: unknown, code: string): boolean {
  return (e as NodeJS.ErrnoException | null)?.code === code;
}
