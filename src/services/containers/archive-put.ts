import { lstat } from 'node:fs/promises';
import { relative } from 'node:path';
import type { Readable } from 'node:stream';
import { extractInto } from '../../archive/extract-into.js';
import { forbidden, invalidParameter, notFound } from '../../errors/index.js';
import { resolveInRoot } from '../../lib/in-root.js';
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
 * directory `path`, which is resolved fully inside the rootfs (a symlinked directory is followed,
 * within the container). NotFound when it is missing, InvalidParameter when it is not a
 * directory or the archive is hostile (see archive/extract-into.ts), Forbidden for a read-only
 * rootfs. The container stays quiet (see quiet-rootfs.ts) until the body is consumed.
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
    if (q.container.config.security?.readonlyRootfs === true)
      throw forbidden('container rootfs is marked read-only');
    const host = await resolveInRoot(q.root, path);
    const st = await lstat(host).catch(() => null);
    if (st === null) throw notFound(`Could not find the file ${path} in container ${idOrName}`);
    if (!st.isDirectory()) throw invalidParameter('extraction point is not a directory');
    const user = q.container.config.user;
    const owner =
      opts.copyUIDGID && user !== '' ? await resolveUser(q.root, user).catch(() => null) : null;
    await extractInto(q.root, `/${relative(q.root, host)}`, body, {
      noOverwriteDirNonDir: opts.noOverwriteDirNonDir,
      ...(owner ? { owner: { uid: owner.uid, gid: owner.gid } } : {}),
    });
  } finally {
    await q.close();
  }
}
