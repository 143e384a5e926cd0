import type { Readable } from 'node:stream';
import { packPath } from '../../archive/pack-path.js';
import type { PathStat } from '../../archive/path-stat.js';
import { pathStat, resolveArchivePath } from './archive-path.js';
import type { ContainerContext } from './context.js';
import { openQuietRootfs } from './quiet-rootfs.js';

/**
 * GET /containers/{id}/archive: the stat of `path` and a tar of it (a directory recursively),
 * named as Docker names it (see archive/pack-path.ts). Errors (NotFound, InvalidParameter) come
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
  try {
    const p = await resolveArchivePath(q.root, path, idOrName);
    stat = await pathStat(q.root, p);
    stream = packPath(p.host, p.name === '/' ? '' : p.name);
  } catch (e) {
    await q.close();
    throw e;
  }
  const close = (): void => void q.close();
  stream.once('close', close);
  stream.once('end', close);
  stream.once('error', close);
  return { stat, stream };
}
