import { chmod, lchown, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidParameter } from '../../errors/index.js';

/** Container id → host id ranges (the user namespace's uid/gid mappings). */
export interface IdRange {
  containerID: number;
  hostID: number;
  size: number;
}

/** How file owners are shifted into a remapped daemon's range; see {@link shiftOwnership}. */
export interface IdShift {
  uids: readonly IdRange[];
  gids: readonly IdRange[];
}

/** The host id of container id `id`; InvalidParameter when no range maps it (as Docker). */
export function toHostId(ranges: readonly IdRange[], id: number, what: 'uid' | 'gid'): number {
  for (const r of ranges) {
    if (id >= r.containerID && id < r.containerID + r.size) return r.hostID + (id - r.containerID);
  }
  throw invalidParameter(`container ${what} ${id} cannot be mapped to a host ${what}`);
}

/**
 * Re-owns every entry under `root` (itself included) from container ids to host ids, so the
 * container's root owns what the image's root owned. Symlinks are re-owned themselves, hard
 * links once per inode, and setuid/setgid bits (which chown clears) are put back. Runs on a
 * freshly filled directory nobody else sees yet.
 */
export async function shiftOwnership(root: string, shift: IdShift): Promise<void> {
  const seen = new Set<string>();
  const stack = [root];
  for (let path = stack.pop(); path !== undefined; path = stack.pop()) {
    const st = await lstat(path);
    if (st.nlink > 1 && !st.isDirectory()) {
      const inode = `${st.dev}:${st.ino}`;
      if (seen.has(inode)) continue;
      seen.add(inode);
    }
    await lchown(path, toHostId(shift.uids, st.uid, 'uid'), toHostId(shift.gids, st.gid, 'gid'));
    if (!st.isSymbolicLink() && (st.mode & 0o6000) !== 0) await chmod(path, st.mode & 0o7777);
    if (st.isDirectory()) for (const name of await readdir(path)) stack.push(join(path, name));
  }
}
