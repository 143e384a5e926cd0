import type { Readable } from 'node:stream';
import { packDir } from '../../archive/pack-dir.js';
import type { ContainerContext } from './context.js';
import { isActive } from './state.js';

/** Exports in progress per container id (per context), so the last one decides about unmounting. */
const exporting = new WeakMap<ContainerContext, Map<string, number>>();

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
  const counts = exporting.get(ctx) ?? new Map<string, number>();
  exporting.set(ctx, counts);
  const rootfs = await ctx.mutex.run(id, async () => {
    ctx.reload(id);
    const path = await ctx.deps.snapshotter.mount(id);
    counts.set(id, (counts.get(id) ?? 0) + 1);
    return path;
  });
  const stream = packDir(rootfs, { skipMountContents: true });
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    const left = (counts.get(id) ?? 1) - 1;
    if (left > 0) {
      counts.set(id, left);
      return;
    }
    counts.delete(id);
    ctx.track(
      ctx.mutex
        .run(id, async () => {
          if ((counts.get(id) ?? 0) > 0) return; // a new export started meanwhile
          const c = ctx.deps.repo.byId(id);
          if (c && !isActive(ctx.status(c))) await ctx.deps.snapshotter.unmount(id);
        })
        .catch((e: unknown) => ctx.deps.log(`export ${id}: unmount failed: ${String(e)}`)),
    );
  };
  stream.once('close', release);
  stream.once('end', release);
  stream.once('error', release);
  return stream;
}
