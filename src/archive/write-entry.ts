import { constants } from 'node:fs';
import { chmod, lchown, link, lutimes, mkdir, open, symlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Header } from 'tar-stream';
import { invalidParameter } from '../errors/index.js';
import { clearTarget, entryComponents, lstatOrNull, safeTarget } from './entry-path.js';
import { makeFifo } from './special-files.js';

/** State shared by the entries of one layer being unpacked. */
export interface UnpackState {
  dest: string;
  /** Relative paths of the regular files written so far: the only valid hardlink targets. */
  files: Set<string>;
  /** Directories whose mtime is set at the end (writing children would change it). */
  dirs: { path: string; mtime: Date }[];
  /** Sum of the regular files' sizes. */
  contentSize: number;
}

const MAX_ID = 0xfffffffe;

/** Reads an entry body to its end (tar-stream stalls until every body is consumed). */
export async function drain(body: Readable): Promise<void> {
  await readBody(body, false);
}

/**
 * An entry body's chunks (none kept unless `keep`), read with plain listeners: an async
 * iterator per entry costs more than the small file it reads. Rejects when the body errors or
 * closes before its end (a truncated or destroyed archive).
 */
export function readBody(body: Readable, keep = true): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    // Destroyed before anyone listened (the archive failed while the entry waited): no event
    // will come.
    if (body.destroyed) return reject(new Error('archive entry ended early'));
    const chunks: Buffer[] = [];
    let ended = false;
    body.on('data', (c: Buffer) => void (keep && chunks.push(c)));
    body.once('end', () => {
      ended = true;
      resolve(chunks);
    });
    body.once('error', reject);
    body.once('close', () => {
      if (!ended) reject(new Error('archive entry ended early'));
    });
  });
}

/**
 * Writes one non-whiteout entry at `comps` (already validated by entryComponents). Regular files
 * are opened with O_EXCL|O_NOFOLLOW after the old entry is removed, so a link planted by an
 * earlier entry is never written through. Ownership is set before the mode, because chown
 * clears setuid/setgid bits.
 */
export async function writeEntry(st: UnpackState, h: Header, comps: string[], body: Readable) {
  const name = h.name;
  if (h.uid < 0 || h.uid > MAX_ID || h.gid < 0 || h.gid > MAX_ID)
    throw invalidParameter(`layer entry ${JSON.stringify(name)}: invalid uid/gid`);
  const mode = h.mode & 0o7777;
  const target = await safeTarget(st.dest, comps, name);
  switch (h.type) {
    case 'directory': {
      if (!(await clearTarget(target, true))) await mkdir(target, 0o700);
      await lchown(target, h.uid, h.gid);
      await chmod(target, mode); // target is a real directory: checked by clearTarget
      st.dirs.push({ path: target, mtime: h.mtime });
      return drain(body);
    }
    case 'file':
    case 'contiguous-file': {
      await clearTarget(target, false);
      const flags =
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
      const fh = await open(target, flags, 0o600);
      try {
        for await (const chunk of body) await fh.write(chunk as Buffer);
        await fh.chown(h.uid, h.gid);
        await fh.chmod(mode);
        await fh.utimes(h.mtime, h.mtime);
      } finally {
        await fh.close();
      }
      st.files.add(comps.join('/'));
      st.contentSize += h.size;
      return;
    }
    case 'symlink': {
      // The target is stored verbatim (it is resolved inside the container at run time) and
      // is never followed here.
      if (!h.linkname) throw invalidParameter(`layer entry ${JSON.stringify(name)}: empty symlink`);
      await clearTarget(target, false);
      await symlink(h.linkname, target);
      await lchown(target, h.uid, h.gid);
      await lutimes(target, h.mtime, h.mtime);
      return drain(body);
    }
    case 'link':
      await writeHardlink(st, h, comps, target);
      return drain(body);
    case 'fifo':
      await clearTarget(target, false);
      await makeFifo(target, mode);
      await lchown(target, h.uid, h.gid);
      await lutimes(target, h.mtime, h.mtime);
      return drain(body);
    case 'character-device':
    case 'block-device':
      // Node has no mknod(2); device nodes in images are rare and the runtime provides /dev.
      throw invalidParameter(`layer entry ${JSON.stringify(name)}: device nodes are not supported`);
    default:
      throw invalidParameter(`layer entry ${JSON.stringify(name)}: unsupported type ${h.type}`);
  }
}

/** A hardlink may only point at a regular file unpacked earlier from this same layer. */
async function writeHardlink(st: UnpackState, h: Header, comps: string[], target: string) {
  const name = JSON.stringify(h.name);
  const linkComps = entryComponents(h.linkname ?? '', 'hardlink target');
  const rel = linkComps.join('/');
  if (rel === comps.join('/')) throw invalidParameter(`layer entry ${name}: hardlink to itself`);
  if (!st.files.has(rel))
    throw invalidParameter(
      `layer entry ${name}: hardlink target ${rel} is not a file of this layer`,
    );
  const source = await safeTarget(st.dest, linkComps, h.name);
  const srcStat = await lstatOrNull(source);
  if (srcStat === null || !srcStat.isFile())
    throw invalidParameter(`layer entry ${name}: hardlink target ${rel} is not a regular file`);
  await clearTarget(target, false);
  await link(source, target); // linkat without AT_SYMLINK_FOLLOW: never follows
}

/** Sets the recorded directory mtimes, deepest last-written first, without following links. */
export async function finishDirs(st: UnpackState): Promise<void> {
  for (const d of st.dirs.reverse()) {
    const s = await lstatOrNull(d.path);
    if (s?.isDirectory() === true) await lutimes(d.path, d.mtime, d.mtime);
  }
}
