import { lstat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { posix } from 'node:path';
import { invalidParameter, notFound } from '../../errors/index.js';
import { goFileMode, rfc3339Nano, type PathStat } from '../../archive/path-stat.js';
import { hostOf, resolveInView, type ArchiveView } from './archive-view.js';

/** A container path resolved the way Docker's archive endpoints resolve it. */
export interface ArchivePath {
  /** Host path (inside the container's view: its rootfs or one of its mounts). */
  host: string;
  /** The cleaned absolute container path, keeping a trailing `/` or `/.`. */
  abs: string;
  /** Docker's base name: the last component, `.` for `dir/.`, `/` for the root. */
  name: string;
  st: Stats & { mtimeNs?: bigint };
}

/**
 * Resolves `path` in the container's view (see archive-view.ts: its rootfs and its mounts) as
 * Docker's ResolvePath does: every component but the last is resolved in the container's scope
 * (symlinks followed relative to the container's `/`); the last is taken
 * as it is, so a symlink is reported and archived as a link, unless the path ends in `/` or `/.`
 * (then it is followed too). NotFound `Could not find the file <path> in container <ctr>`.
 */
export async function resolveArchivePath(
  view: ArchiveView,
  path: string,
  container: string,
): Promise<ArchivePath> {
  if (path === '') throw invalidParameter('path is required');
  if (path.includes('\0')) throw invalidParameter('invalid path');
  let abs = posix.normalize(`/${path}`);
  if (abs !== '/' && abs.endsWith('/')) abs = abs.slice(0, -1);
  if (path === '.' || path.endsWith('/.')) abs = abs === '/' ? '/.' : `${abs}/.`;
  else if (path.endsWith('/') && abs !== '/') abs = `${abs}/`;
  const cut = abs.lastIndexOf('/');
  const base = abs.slice(cut + 1);
  const dir = await resolveInView(view, abs.slice(0, cut + 1));
  // The last component may itself be a mount destination (a volume at /data): map it.
  const host = base === '' || base === '.' ? dir.host : hostOf(view, posix.join(dir.path, base));
  const name = abs === '/' ? '/' : base !== '' ? base : posix.basename(abs);
  let st;
  try {
    st = await lstat(host, { bigint: false });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw notFound(`Could not find the file ${path} in container ${container}`);
    throw e;
  }
  return { host, abs, name, st };
}

/** The path's PathStat; a symlink's target is resolved in the container's scope. */
export async function pathStat(view: ArchiveView, p: ArchivePath): Promise<PathStat> {
  let linkTarget = '';
  if (p.st.isSymbolicLink()) linkTarget = (await resolveInView(view, p.abs)).path;
  return {
    name: p.name,
    size: p.st.size,
    mode: goFileMode(p.st),
    mtime: rfc3339Nano(p.st),
    linkTarget,
  };
}
