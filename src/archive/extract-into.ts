import { lstatSync, type Stats } from 'node:fs';
import { link, mkdir } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import type { Header } from 'tar-stream';
import { BerthError, forbidden, invalidParameter, systemError } from '../errors/index.js';
import { drainOrClose } from '../lib/drain.js';
import { resolveInRoot } from '../lib/in-root.js';
import { decompressedStream } from './decompress.js';
import { clearTarget, entryComponents, lstatOrNull } from './entry-path.js';
import { SMALL_FILE_BYTES, writeDirSync, writeSmallFileSync } from './small-entries.js';
import { drain, finishDirs, writeEntry, type UnpackState } from './write-entry.js';

/** Options of {@link extractInto} (the query parameters of PUT /containers/{id}/archive). */
export interface ExtractOptions {
  /** Refuse to replace a directory with a non-directory or the reverse (Docker's flag). */
  noOverwriteDirNonDir: boolean;
  /** Owner of every entry instead of the tar's (copyUIDGID with a container user). */
  owner?: { uid: number; gid: number };
  /** How container paths map to host paths; default: everything under `root`. */
  paths?: ContainerPaths;
}

/**
 * A container's filesystem as a caller sees it (e.g. a rootfs with volumes mapped in). Both
 * functions take absolute container paths and must never give a host path outside the container.
 */
export interface ContainerPaths {
  /** Resolves every component (links followed inside the container, the last one too). */
  resolve(path: string): Promise<{ path: string; host: string }>;
  /** The host path of a resolved container path (its last component is not followed). */
  host(path: string): string;
  /** Throws (a BerthError) when nothing may be written at this resolved container path. */
  checkWritable?(path: string): void;
}

/**
 * Extracts a tar (plain, gzip or zstd) into the directory `dir` of the filesystem rooted at
 * `root` (a container rootfs). Entry names are relative to `dir`; absolute names, `..`, device
 * nodes and hard links to anything but a file of this same archive are refused (InvalidParameter).
 * Each entry's parent is resolved the way the container sees it — symlinks already in the rootfs
 * are followed, but relative to `root` (or through `opts.paths`), so nothing is ever created
 * outside it — and the entry itself is never opened through a link. The caller guarantees nothing else changes the tree
 * meanwhile (the container is stopped or frozen). A failure leaves what was extracted so far.
 */
export async function extractInto(
  root: string,
  dir: string,
  src: Readable,
  opts: ExtractOptions,
): Promise<void> {
  let stream: Readable;
  try {
    ({ stream } = await decompressedStream(src));
  } catch (e) {
    throw classify(e, '');
  }
  const extract = tar.extract();
  const feeding = (async () => {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (extract.destroyed) return;
      if (!extract.write(chunk)) await drainOrClose(extract);
    }
    extract.end(undefined);
  })().catch((e: unknown) => {
    extract.destroy(e as Error);
    throw e;
  });
  feeding.catch(() => undefined); // observed below
  const paths = opts.paths ?? rootPaths(root);
  const parents = new ParentResolver(paths, dir);
  const files = new Set<string>();
  const dirs: UnpackState['dirs'] = [];
  let current = '';
  try {
    for await (const entry of extract) {
      const h = opts.owner ? { ...entry.header, ...opts.owner } : entry.header;
      current = h.name;
      const body = entry as unknown as Readable;
      const comps = entryComponents(h.name);
      if (comps.length === 0) {
        await drain(body); // the archive's root entry: `dir` itself stays as it is
        continue;
      }
      const rel = comps.join('/');
      const parentPath = await parents.resolve(comps.slice(0, -1), h.name);
      const targetPath = posix.join(parentPath, comps.at(-1)!);
      paths.checkWritable?.(targetPath);
      // Mapped by `paths` (not joined to the parent): the name may be a mount of its own.
      const target = paths.host(targetPath);
      const old = lstatSyncOrNull(target);
      const isDir = h.type === 'directory';
      if (old !== null && old.isDirectory() !== isDir) {
        const path = posix.join(dir, rel);
        if (opts.noOverwriteDirNonDir)
          throw invalidParameter(
            isDir
              ? `cannot overwrite non-directory "${path}" with directory "${path}"`
              : `cannot overwrite directory "${path}" with non-directory "${path}"`,
          );
      }
      // Replacing a directory or planting a link changes what later names resolve to.
      if (old?.isDirectory() === true || h.type === 'symlink') parents.clear();
      if (h.type === 'link') {
        await writeLink(parents, paths, files, h, target);
        await drain(body);
        continue;
      }
      if (isSmallFile(h) && old?.isDirectory() !== true) {
        checkIds(h);
        const chunks: Buffer[] = [];
        for await (const c of body) chunks.push(c as Buffer);
        writeSmallFileSync(target, old, h, chunks);
        files.add(rel);
        continue;
      }
      if (isDir && (old === null || old.isDirectory())) {
        checkIds(h);
        writeDirSync(target, old !== null, h);
        dirs.push({ path: target, mtime: h.mtime });
        await drain(body);
        continue;
      }
      const dest = posix.dirname(target);
      const st: UnpackState = { dest, files: new Set(), dirs, contentSize: 0 };
      await writeEntry(st, h, [posix.basename(target)], body);
      if (h.type === 'file' || h.type === 'contiguous-file') files.add(rel);
    }
    await feeding;
    await finishDirs({ dest: root, files, dirs, contentSize: 0 });
  } catch (e) {
    extract.destroy(null);
    stream.destroy();
    src.destroy();
    await feeding.catch(() => undefined);
    throw classify(e, current);
  }
}

const MAX_ID = 0xfffffffe;

function checkIds(h: Header): void {
  if (h.uid < 0 || h.uid > MAX_ID || h.gid < 0 || h.gid > MAX_ID)
    throw invalidParameter(`entry ${JSON.stringify(h.name)}: invalid uid/gid`);
}

const isSmallFile = (h: Header): boolean =>
  (h.type === 'file' || h.type === 'contiguous-file') && (h.size ?? 0) <= SMALL_FILE_BYTES;

function lstatSyncOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** A hard link may only point at a regular file extracted earlier from this same archive. */
async function writeLink(
  parents: ParentResolver,
  paths: ContainerPaths,
  files: Set<string>,
  h: Header,
  target: string,
) {
  const comps = entryComponents(h.linkname ?? '', 'hardlink target');
  const rel = comps.join('/');
  const name = JSON.stringify(h.name);
  if (!files.has(rel))
    throw invalidParameter(`entry ${name}: hardlink target ${rel} is not a file of this archive`);
  const source = paths.host(
    posix.join(await parents.resolve(comps.slice(0, -1), h.name), comps.at(-1)!),
  );
  const st = await lstatOrNull(source);
  if (st === null || !st.isFile())
    throw invalidParameter(`entry ${name}: hardlink target ${rel} is not a regular file`);
  if (source === target) return;
  await clearTarget(target, false);
  await link(source, target); // linkat without AT_SYMLINK_FOLLOW: never follows
}

/**
 * Entry parents as resolved container paths (links followed inside the container); missing ones
 * are created (0755) on the host. Cached per extraction; the cache is dropped whenever an entry
 * could change a resolution.
 */
class ParentResolver {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly paths: ContainerPaths,
    private readonly dir: string,
  ) {}

  clear(): void {
    this.cache.clear();
  }

  async resolve(comps: string[], entry: string): Promise<string> {
    const key = comps.join('/');
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const { path, host } = await this.paths.resolve(posix.join(this.dir, ...comps));
    const st = await lstatOrNull(host);
    if (st === null) {
      this.paths.checkWritable?.(path);
      await mkdir(host, { recursive: true, mode: 0o755 });
    } else if (!st.isDirectory())
      throw invalidParameter(`entry ${JSON.stringify(entry)}: parent ${key} is not a directory`);
    this.cache.set(key, path);
    return path;
  }
}

/** Plain paths under `root` (a rootfs with nothing mounted in it). */
function rootPaths(root: string): ContainerPaths {
  return {
    async resolve(path) {
      const host = await resolveInRoot(root, path);
      return { path: `/${posix.relative(root, host)}`, host };
    },
    host: (path) => posix.join(root, path),
  };
}

/** Our own errors pass through; zlib and tar parse failures are the client's, fs ones ours. */
function classify(e: unknown, entry: string): BerthError {
  if (e instanceof BerthError) return e;
  const err = e as NodeJS.ErrnoException;
  const where = entry ? ` (at entry ${JSON.stringify(entry)})` : '';
  if (typeof err?.code === 'string' && err.code.startsWith('Z_'))
    return invalidParameter(`invalid archive: bad gzip data${where}: ${err.message}`);
  if (err?.syscall === undefined)
    return invalidParameter(`invalid archive${where}: ${err?.message ?? String(e)}`);
  if (err.code === 'EROFS') return forbidden(`read-only file system${where}`);
  return systemError(`extracting archive${where}: ${err.message}`, e);
}
