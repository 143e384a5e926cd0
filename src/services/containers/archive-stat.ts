import type { PathStat } from '../../archive/path-stat.js';
import { pathStat, resolveArchivePath } from './archive-path.js';
import { openArchiveView } from './archive-root.js';
import type { ContainerContext } from './context.js';
import { openQuietRootfs } from './quiet-rootfs.js';

/**
 * HEAD /containers/{id}/archive: the stat of `path` in the container (see archive-path.ts for how
 * the path is resolved, archive-root.ts for the view it is resolved in). Works on running, paused and stopped containers.
 */
export async function statContainerPath(
  ctx: ContainerContext,
  idOrName: string,
  path: string,
): Promise<PathStat> {
  const q = await openQuietRootfs(ctx, idOrName);
  try {
    const v = await openArchiveView(ctx, q);
    try {
      return await pathStat(v.view, await resolveArchivePath(v.view, path, idOrName));
    } finally {
      await v.close();
    }
  } finally {
    await q.close();
  }
}
