import { createHash, type Hash } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';
import { posix, join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { BerthError, invalidParameter, systemError } from '../errors/index.js';
import type { Digest } from '../lib/digest.js';
import { decompressedStream } from './decompress.js';

/** A regular file of a staged archive, stored on disk with its digests. */
export interface StagedFile {
  /** Where the bytes are on disk. */
  file: string;
  size: number;
  digest: Digest;
  /** When the file is gzip data: the digest and size of its decompressed bytes (null if corrupt). */
  gunzipped: { digest: Digest; size: number } | null;
  isGzip: boolean;
}

/** An archive unpacked into a staging directory: its files by normalised path. */
export interface StagedArchive {
  /** Looks up a path (`./a/../b` forms are normalised); symlinks and hardlinks are followed. */
  get(path: string): StagedFile | undefined;
  /** Every regular file's normalised path. */
  paths(): string[];
}

const MAX_ENTRIES = 100_000;
const MAX_LINK_HOPS = 16;

/**
 * Reads a tar (plain or gzip) from `src` into `dir` (which must exist and be empty), computing
 * each file's sha256 (and, for gzip files, the sha256 of the decompressed bytes) in the same pass,
 * so a caller can verify every digest before using anything. Hostile archives are refused with
 * InvalidParameter: absolute names, `..` components, links pointing outside the archive, device
 * and fifo entries, more than 100 000 entries. Nothing is written outside `dir`: file bodies go
 * to numbered files, names are only map keys. The caller deletes `dir`.
 */
export async function stageArchive(src: Readable, dir: string): Promise<StagedArchive> {
  let stream: Readable;
  try {
    ({ stream } = await decompressedStream(src));
  } catch (e) {
    throw classify(e);
  }
  const files = new Map<string, StagedFile>();
  const links = new Map<string, string>();
  const extract = tar.extract();
  stream.on('error', (e) => extract.destroy(e));
  stream.pipe(extract as unknown as NodeJS.WritableStream);
  let count = 0;
  try {
    for await (const entry of extract) {
      const h = entry.header;
      if (++count > MAX_ENTRIES)
        throw invalidParameter(`archive has more than ${MAX_ENTRIES} entries`);
      const name = normalizeName(h.name);
      const body = entry as unknown as Readable;
      files.delete(name);
      links.delete(name);
      if (h.type === 'file' || h.type === 'contiguous-file') {
        files.set(name, await stageFile(body, join(dir, String(count))));
        continue;
      }
      for await (const _ of body as AsyncIterable<Buffer>); // drain: headers only
      if (h.type === 'directory') continue;
      if (h.type === 'symlink') links.set(name, resolveLink(name, h.linkname ?? '', true));
      else if (h.type === 'link') links.set(name, resolveLink(name, h.linkname ?? '', false));
      else
        throw invalidParameter(
          `archive entry ${JSON.stringify(h.name)}: unsupported type ${h.type}`,
        );
    }
  } catch (e) {
    extract.destroy();
    stream.destroy();
    throw classify(e);
  }
  const get = (path: string): StagedFile | undefined => {
    let p: string;
    try {
      p = normalizeName(path);
    } catch {
      return undefined;
    }
    for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
      const f = files.get(p);
      if (f) return f;
      const next = links.get(p);
      if (next === undefined) return undefined;
      p = next;
    }
    return undefined;
  };
  return { get, paths: () => [...files.keys()] };
}

/** `./a//b/` → `a/b`; refuses absolute names, `..`, NUL and over-long names. */
export function normalizeName(name: string): string {
  if (name.includes('\0') || Buffer.byteLength(name) > 4096 || name.startsWith('/'))
    throw invalidParameter(`archive entry ${JSON.stringify(name.slice(0, 200))}: invalid name`);
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..'))
    throw invalidParameter(`archive entry ${JSON.stringify(name)}: ".." component not allowed`);
  return parts.join('/');
}

/** A link's target as a normalised archive path; symlinks are relative to their directory. */
function resolveLink(name: string, target: string, symbolic: boolean): string {
  const base = symbolic ? posix.dirname(name) : '.';
  const joined = posix.normalize(posix.join(base, target));
  if (target.startsWith('/') || joined === '..' || joined.startsWith('../'))
    throw invalidParameter(
      `archive entry ${JSON.stringify(name)}: link points outside the archive`,
    );
  return normalizeName(joined);
}

/** Writes one entry body to `file`, hashing it (and its gunzipped form when it is gzip). */
async function stageFile(body: Readable, file: string): Promise<StagedFile> {
  const fh = await open(file, 'wx', 0o600);
  const hash = createHash('sha256');
  let size = 0;
  let gz: { z: Gunzip; hash: Hash; size: number; failed: boolean; done: Promise<void> } | null =
    null;
  let first = true;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (first && chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) gz = gunzipper();
      first = false;
      hash.update(chunk);
      size += chunk.length;
      await fh.write(chunk);
      if (gz && !gz.failed && !gz.z.write(chunk)) {
        const z = gz.z;
        await new Promise((r) => {
          z.once('drain', r);
          z.once('error', r);
        });
      }
    }
  } catch (e) {
    await fh.close();
    await unlink(file).catch(() => undefined);
    gz?.z.destroy();
    throw e;
  }
  await fh.close();
  let gunzipped: StagedFile['gunzipped'] = null;
  if (gz) {
    gz.z.end();
    await gz.done;
    if (!gz.failed) gunzipped = { digest: `sha256:${gz.hash.digest('hex')}`, size: gz.size };
  }
  return { file, size, digest: `sha256:${hash.digest('hex')}`, gunzipped, isGzip: gz !== null };
}

function gunzipper() {
  const z = createGunzip();
  const st = { z, hash: createHash('sha256'), size: 0, failed: false, done: Promise.resolve() };
  z.on('data', (c: Buffer) => {
    st.hash.update(c);
    st.size += c.length;
  });
  st.done = new Promise<void>((resolve) => {
    z.on('end', resolve);
    z.on('error', () => {
      st.failed = true;
      resolve();
    });
  });
  return st;
}

function classify(e: unknown): BerthError {
  if (e instanceof BerthError) return e;
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code === 'string' && err.code.startsWith('Z_'))
    return invalidParameter(`invalid archive: bad gzip data: ${err.message}`);
  if (err?.syscall === undefined)
    return invalidParameter(`invalid archive: ${err?.message ?? String(e)}`);
  return systemError(`reading archive: ${err.message}`, e);
}
