import type { Readable } from 'node:stream';
import { packDir } from '../../archive/pack-dir.js';
import type { ContainerContext } from './context.js';
import { acquireRootfsLocked, releaseRootfs } from './rootfs-lease.js';

/**
 * `docker export`: the container's merged rootfs as a tar stream (see archive/pack-dir.ts: links
 * never followed, mount points such as /proc, /sys, /dev stored as empty directories). The rootfs
 * is mounted under the container's lock if it is not (a stopped container) and, once the last
 * export of it ends, unmounted again unless the container is running or paused by then. NotFound
 * for an unknown container is thrown before the stream exists. A container that exits or is
 * removed during its export has its rootfs unmounted by that verb: the stream then fails or ends
 * short.
 */
export async function exportContainer(ctx: ContainerContext, idOrName: string): Promise<Readable> {
  const id = ctx.lookup(idOrName).id;
  const rootfs = await ctx.mutex.run(id, async () => {
    ctx.reload(id);
    return acquireRootfsLocked(ctx, id); // shared with cp: the last user unmounts
  });
  const stream = packDir(rootfs, { skipMountContents: true });
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    releaseRootfs(ctx, id);
  };
  stream.once('close', release);
  stream.once('end', release);
  stream.once('error', release);
  return stream;
}
