import { lstat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { extractInto, type ContainerPaths } from '../../archive/extract-into.js';
import { forbidden, invalidParameter, notFound } from '../../errors/index.js';
import { openArchiveView } from './archive-root.js';
import { hostOf, mountOf, resolveInView, type ArchiveView } from './archive-view.js';
import type { ContainerContext } from './context.js';
import { openQuietRootfs } from './quiet-rootfs.js';
import { resolveUser } from './user.js';

/** The query options of PUT /containers/{id}/archive. */
export interface PutArchiveOptions {
  /** Refuse replacing a directory with a non-directory or the reverse. */
  noOverwriteDirNonDir: boolean;
  /** Give every entry the container user's uid/gid (when it has a user) instead of the tar's. */
  copyUIDGID: boolean;
}

/**
 * PUT /containers/{id}/archive (`docker cp` into a container): extracts the tar `body` into the
 * directory `path`, which is resolved fully in what the container sees (its rootfs, volumes,
 * binds and tmpfs mounts; a symlinked directory is followed, within the container; see
 * archive-root.ts). NotFound when it is missing, InvalidParameter when it is not a directory,
 * is in a read-only mount (Docker's `mounted volume is marked read-only`) or the archive is
 * hostile (see archive/extract-into.ts), Forbidden for a read-only rootfs outside any mount. The container stays quiet (see quiet-rootfs.ts) until the body is consumed.
 */
export async function putContainerArchive(
  ctx: ContainerContext,
  idOrName: string,
  path: string,
  body: Readable,
  opts: PutArchiveOptions,
): Promise<void> {
  if (path === '') throw invalidParameter('path is required');
  if (path.includes('\0')) throw invalidParameter('invalid path');
  const q = await openQuietRootfs(ctx, idOrName);
  try {
    const v = await openArchiveView(ctx, q);
    try {
      const { view } = v;
      const dest = await resolveInView(view, path);
      const st = await lstat(dest.host).catch(() => null);
      if (st === null) throw notFound(`Could not find the file ${path} in container ${idOrName}`);
      if (!st.isDirectory()) throw invalidParameter('extraction point is not a directory');
      const readonlyRootfs = q.container.config.security?.readonlyRootfs === true;
      const checkWritable = (p: string): void => assertWritable(view, p, readonlyRootfs);
      checkWritable(dest.path);
      const user = q.container.config.user;
      const owner =
        opts.copyUIDGID && user !== ''
          ? await resolveUser(view.root, user).catch(() => null)
          : null;
      const paths: ContainerPaths = {
        resolve: (p) => resolveInView(view, p),
        host: (p) => hostOf(view, p),
        checkWritable,
      };
      await extractInto(view.root, dest.path, body, {
        noOverwriteDirNonDir: opts.noOverwriteDirNonDir,
        paths,
        ...(owner ? { owner: { uid: owner.uid, gid: owner.gid } } : {}),
      });
    } finally {
      await v.close();
    }
  } finally {
    await q.close();
  }
}

/**
 * Docker's rule for writing at a resolved container path: inside a mount, the mount must be
 * read-write (InvalidParameter `mounted volume is marked read-only`, as Docker answers); outside
 * every mount, the rootfs must not be read-only (Forbidden `container rootfs is marked
 * read-only`). Checked for every entry too: a stopped container's read-only volume is a plain
 * host directory the kernel would not refuse.
 */
function assertWritable(view: ArchiveView, path: string, readonlyRootfs: boolean): void {
  const m = mountOf(view, path);
  if (m) {
    if (!m.rw) throw invalidParameter('mounted volume is marked read-only');
  } else if (readonlyRootfs) throw forbidden('container rootfs is marked read-only');
}
