import type { PathStat } from '../../archive/path-stat.js';
import { pathStat, resolveArchivePath } from './archive-path.js';
import type { ContainerContext } from './context.js';
import { openQuietRootfs } from './quiet-rootfs.js';

/**
 * HEAD /containers/{id}/archive: the stat of `path` in the container (see archive-path.ts for how
 * the path is resolved). Works on running, paused and stopped containers.
 */
export async function statContainerPath(
  ctx: ContainerContext,
  idOrName: string,
  path: string,
): Promise<PathStat> {
  const q = await openQuietRootfs(ctx, idOrName);
  try {
    return await pathStat(q.root, await resolveArchivePath(q.root, path, idOrName));
  } finally {
    await q.close();
  }
}
