import { lstat, readdir } from 'node:fs/promises';
import { systemError } from '../../../errors/index.js';
import { execFile } from '../../../lib/exec.js';
import { resolveInRoot } from '../../../lib/in-root.js';
import type { ResolvedMount, VolumeAccess } from './types.js';

const copyTimeoutMs = 10 * 60_000;

/**
 * Docker's copy-up: a volume that is still empty is first filled with what the image has at the
 * mount's destination, keeping owners, modes, symlinks (as links) and xattrs where the target
 * allows (`cp -a`). The image path is resolved inside `rootfs`, so a symlink in the image cannot
 * make the copy read the host. Binds, tmpfs and `nocopy` volumes are left alone.
 */
export async function copyUp(
  rootfs: string,
  mounts: readonly ResolvedMount[],
  volumes: VolumeAccess,
  containerId: string,
): Promise<void> {
  for (const m of mounts) {
    if (m.type !== 'volume' || m.noCopy) continue;
    const src = await resolveInRoot(rootfs, m.destination);
    const st = await lstat(src).catch(() => undefined);
    if (!st?.isDirectory()) continue;
    const data = await volumes.activate(m.source, containerId);
    try {
      if ((await readdir(data)).length > 0) continue;
      // `src/.` into the existing dir: the dir's own owner and mode are copied too.
      const r = await execFile('cp', ['-a', '--', `${src}/.`, `${data}/`], {
        timeoutMs: copyTimeoutMs,
      });
      if (r.code !== 0) {
        throw systemError(`copying image content into volume ${m.source}: ${r.stderr.trim()}`);
      }
    } finally {
      await volumes.release(m.source, containerId, { quiet: true });
    }
  }
}
