import { lstatSync, type Stats } from 'node:fs';
import { link } from 'node:fs/promises';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import type { Header } from 'tar-stream';
import { invalidParameter } from '../errors/index.js';
import { clearTarget, entryComponents, lstatOrNull } from './entry-path.js';
import type { ContainerPaths, ParentResolver } from './parent-resolver.js';
import { SMALL_FILE_BYTES, writeDirSync, writeSmallFileSync } from './small-entries.js';
import { drain, readBody, writeEntry, type UnpackState } from './write-entry.js';

/** What the entries of one extraction share. */
export interface Extraction {
  dir: string;
  /** Refuse to replace a directory with a non-directory or the reverse. */
  noOverwriteDirNonDir: boolean;
  paths: ContainerPaths;
  parents: ParentResolver;
  /** Relative names of the regular files written so far: the only valid hardlink targets. */
  files: Set<string>;
  dirs: UnpackState['dirs'];
}

/** One entry to place: `target` is its host path, `absent` true when it certainly is not there. */
export interface Placing {
  h: Header;
  rel: string;
  target: string;
  absent: boolean;
}

/**
 * Writes one entry over whatever is at its target (lstat'd unless known absent; an old
 * non-directory is replaced, an old directory kept for a directory entry and removed for another
 * one, unless `noOverwriteDirNonDir`). Small files and directories are written with sync calls
 * (see small-entries.ts). When a target believed absent exists after all (EEXIST: the same host
 * directory reached through two mounts), the entry is placed again from a fresh lstat.
 */
export async function placeEntry(x: Extraction, p: Placing, body: Readable): Promise<void> {
  const { h, target } = p;
  const old = p.absent ? null : lstatSyncOrNull(target);
  const isDir = h.type === 'directory';
  if (old !== null && old.isDirectory() !== isDir && x.noOverwriteDirNonDir) {
    const path = posix.join(x.dir, p.rel);
    throw invalidParameter(
      isDir
        ? `cannot overwrite non-directory "${path}" with directory "${path}"`
        : `cannot overwrite directory "${path}" with non-directory "${path}"`,
    );
  }
  // Replacing a directory or planting a link changes what later names resolve to.
  if ((old?.isDirectory() === true && !isDir) || h.type === 'symlink') x.parents.clear();
  x.parents.wrote(target);
  if (h.type === 'link') {
    await writeLink(x, h, target);
    return drain(body);
  }
  const retry = (e: unknown, chunks: Buffer[]): Promise<void> => {
    if (!p.absent || (e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return placeEntry(x, { ...p, absent: false }, Readable.from(chunks));
  };
  if (isSmallFile(h) && old?.isDirectory() !== true) {
    checkIds(h);
    const chunks = await readBody(body);
    try {
      writeSmallFileSync(target, old, h, chunks);
    } catch (e) {
      return retry(e, chunks);
    }
    x.files.add(p.rel);
    return;
  }
  if (isDir && (old === null || old.isDirectory())) {
    checkIds(h);
    await drain(body);
    try {
      writeDirSync(target, old !== null, h);
    } catch (e) {
      return retry(e, []);
    }
    if (old === null) x.parents.created(target); // mkdir refuses an existing name: it is empty
    x.dirs.push({ path: target, mtime: h.mtime });
    return;
  }
  const dest = posix.dirname(target);
  const st: UnpackState = { dest, files: new Set(), dirs: x.dirs, contentSize: 0 };
  await writeEntry(st, h, [posix.basename(target)], body);
  if (h.type === 'file' || h.type === 'contiguous-file') x.files.add(p.rel);
}

const MAX_ID = 0xfffffffe;

function checkIds(h: Header): void {
  if (h.uid < 0 || h.uid > MAX_ID || h.gid < 0 || h.gid > MAX_ID)
    throw invalidParameter(`entry ${JSON.stringify(h.name)}: invalid uid/gid`);
}

const isSmallFile = (h: Header): boolean =>
  (h.type === 'file' || h.type === 'contiguous-file') && (h.size ?? 0) <= SMALL_FILE_BYTES;

function lstatSyncOrNull(path: string): Stats | null {
  return lstatSync(path, { throwIfNoEntry: false }) ?? null;
}

/** A hard link may only point at a regular file extracted earlier from this same archive. */
async function writeLink(x: Extraction, h: Header, target: string): Promise<void> {
  const comps = entryComponents(h.linkname ?? '', 'hardlink target');
  const rel = comps.join('/');
  const name = JSON.stringify(h.name);
  if (!x.files.has(rel))
    throw invalidParameter(`entry ${name}: hardlink target ${rel} is not a file of this archive`);
  const parent = await x.parents.resolve(comps.slice(0, -1), h.name);
  const source = x.paths.host(posix.join(parent.path, comps.at(-1)!));
  const st = await lstatOrNull(source);
  if (st === null || !st.isFile())
    throw invalidParameter(`entry ${name}: hardlink target ${rel} is not a regular file`);
  if (source === target) return;
  await clearTarget(target, false);
  await link(source, target); // linkat without AT_SYMLINK_FOLLOW: never follows
}
