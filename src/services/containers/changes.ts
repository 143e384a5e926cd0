import { lstat, readdir } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { opaqueDirs } from '../../archive/opaque-dirs.js';
import type { ContainerContext } from './context.js';

/** One entry of GET /containers/{id}/changes. Kind: 0 modified, 1 added, 2 deleted. */
export interface FilesystemChange {
  Path: string;
  Kind: 0 | 1 | 2;
}

/** What Berth (or the runtime) puts there, as Docker's init layer does: never reported. */
const hidden = ['/dev', '/proc', '/sys', '/etc/hosts', '/etc/hostname', '/etc/resolv.conf'];
const isHidden = (p: string): boolean => hidden.some((h) => p === h || p.startsWith(`${h}/`));

const isWhiteout = (st: Stats): boolean => st.isCharacterDevice() && st.rdev === 0;

/**
 * `docker diff`: reads the container's overlay upper dir against its lower dirs. A whiteout
 * (char 0:0) is a deletion; an entry that also exists in a lower layer is a modification (every
 * copied-up parent directory too, as in Docker), anything else an addition; an opaque directory
 * (trusted.overlay.opaque=y) hides its lower content, so that content is reported deleted and
 * the directory's upper entries added. Sorted by path like Docker's output. Works in any state;
 * the result is a snapshot of a tree a running container may be changing.
 */
export async function containerChanges(
  ctx: ContainerContext,
  idOrName: string,
): Promise<FilesystemChange[]> {
  const id = ctx.lookup(idOrName).id;
  const { snapshotter } = ctx.deps;
  const upper = snapshotter.upperDir(id);
  const lowers = (await snapshotter.driverData(id))['LowerDir']?.split(':') ?? [];
  const opaque = await opaqueDirs(upper);
  const out: FilesystemChange[] = [];
  const walk = async (rel: string, lowerDirs: string[], added: boolean): Promise<void> => {
    const names = await readdir(join(upper, rel));
    const isOpaque = opaque.has(rel === '' ? '/' : rel);
    const visible = isOpaque ? [] : lowerDirs;
    for (const name of names) {
      const p = `${rel}/${name}`;
      if (isHidden(p)) continue;
      const st = await lstat(join(upper, p));
      if (isWhiteout(st)) {
        if (!added) out.push({ Path: p, Kind: 2 });
        continue;
      }
      const below = added ? null : await lowerEntry(visible, p);
      out.push({ Path: p, Kind: below === null ? 1 : 0 });
      if (st.isDirectory()) {
        const childLowers = below === null ? [] : await dirsIn(visible, p);
        await walk(p, childLowers, below === null);
      }
    }
    if (isOpaque && !added) {
      const seen = new Set(names);
      for (const n of await lowerNames(lowerDirs, rel)) {
        const p = `${rel}/${n}`;
        if (!seen.has(n) && !isHidden(p)) out.push({ Path: p, Kind: 2 });
      }
    }
  };
  await walk('', lowers, false);
  return out.sort((a, b) => (a.Path < b.Path ? -1 : a.Path > b.Path ? 1 : 0));
}

/** The topmost lower entry at `p` that is not a whiteout, or null. */
async function lowerEntry(lowerDirs: string[], p: string): Promise<Stats | null> {
  for (const l of lowerDirs) {
    const st = await lstat(join(l, p)).catch(() => null);
    if (st !== null) return isWhiteout(st) ? null : st;
  }
  return null;
}

/** The lowers in which `p` is a real directory, top first, down to the first that hides it. */
async function dirsIn(lowerDirs: string[], p: string): Promise<string[]> {
  const out: string[] = [];
  for (const l of lowerDirs) {
    const st = await lstat(join(l, p)).catch(() => null);
    if (st === null) continue;
    if (!st.isDirectory()) break;
    out.push(l);
  }
  return out;
}

/** Names visible in the lower layers' union of directory `rel`. */
async function lowerNames(lowerDirs: string[], rel: string): Promise<string[]> {
  const names = new Set<string>();
  const gone = new Set<string>();
  for (const l of lowerDirs) {
    for (const n of await readdir(join(l, rel)).catch(() => [] as string[])) {
      if (names.has(n) || gone.has(n)) continue;
      const st = await lstat(join(l, rel, n)).catch(() => null);
      if (st !== null && isWhiteout(st)) gone.add(n);
      else names.add(n);
    }
  }
  return [...names].sort();
}
