import type { Readable } from 'node:stream';
import { packPath } from '../../archive/pack-path.js';
import type { PathStat } from '../../archive/path-stat.js';
import { pathStat, resolveArchivePath } from './archive-path.js';
import { openArchiveView } from './archive-root.js';
import { packMounts, resolveInView } from './archive-view.js';
import type { ContainerContext } from './context.js';
import { openQuietRootfs } from './quiet-rootfs.js';

/**
 * GET /containers/{id}/archive: the stat of `path` and a tar of it (a directory recursively),
 * named as Docker names it (see archive/pack-path.ts), read from what the container sees (its
 * volumes, binds and tmpfs mounts included, also inside a copied directory; see archive-root.ts
 * and packMounts). Errors (NotFound, InvalidParameter) come
 * before the stream exists. The container stays quiet (locked, frozen if running; see
 * quiet-rootfs.ts) until the stream ends, fails or is destroyed, so a consumer must read it to
 * the end or destroy it.
 */
export async function getContainerArchive(
  ctx: ContainerContext,
  idOrName: string,
  path: string,
): Promise<{ stat: PathStat; stream: Readable }> {
  const q = await openQuietRootfs(ctx, idOrName);
  let stream: Readable;
  let stat: PathStat;
  let v: Awaited<ReturnType<typeof openArchiveView>> | undefined;
  const release = async (): Promise<void> => {
    await v?.close();
    await q.close();
  };
  try {
    v = await openArchiveView(ctx, q);
    const p = await resolveArchivePath(v.view, path, idOrName);
    stat = await pathStat(v.view, p);
    const top = p.st.isDirectory() ? (await resolveInView(v.view, p.abs)).path : p.abs;
    stream = packPath(p.host, p.name, packMounts(v.view, top));
  } catch (e) {
    await release();
    throw e;
  }
  const close = (): void => void release();
  stream.once('close', close);
  stream.once('end', close);
  stream.once('error', close);
  return { stat, stream };
}
