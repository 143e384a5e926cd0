import { mkdir, open, stat } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { constants } from 'node:fs';
import { invalidParameter } from '../../../errors/index.js';
import { resolveInRoot } from '../../../lib/in-root.js';
import type { ResolvedMount, VolumeAccess } from './types.js';

/** One OCI runtime-spec mount. */
export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

/**
 * Creates the mount point inside the rootfs: a dir, or an empty file when the source is a file.
 * `hostDst` is already resolved inside the rootfs; only its missing tail is created, and that
 * tail holds no symlinks (it did not exist).
 */
async function makeMountPoint(hostDst: string, sourceIsDir: boolean): Promise<void> {
  if (sourceIsDir) {
    await mkdir(hostDst, { recursive: true, mode: 0o755 });
    return;
  }
  await mkdir(dirname(hostDst), { recursive: true, mode: 0o755 });
  const fh = await open(
    hostDst,
    constants.O_CREAT | constants.O_WRONLY | constants.O_NOFOLLOW,
    0o644,
  );
  await fh.close();
}

/** A bind's host source: `-v` creates a missing dir (as Docker), `--mount` refuses it. */
async function bindSource(m: ResolvedMount): Promise<boolean> {
  const st = await stat(m.source).catch(() => undefined);
  if (st) return st.isDirectory();
  if (!m.createSource) {
    throw invalidParameter(
      `invalid mount config for type "bind": bind source path does not exist: ${m.source}`,
    );
  }
  await mkdir(m.source, { recursive: true, mode: 0o755 });
  return true;
}

/**
 * The OCI mounts of a starting container. Each destination is resolved inside the rootfs
 * first, so a symlink in the image cannot redirect a mount onto the host; the spec gets the
 * resolved path. Volumes are activated (Docker's `mount` event); on failure those activated so
 * far are released again. Returns the mounts and the volumes activated.
 */
export async function specMounts(
  rootfs: string,
  mounts: readonly ResolvedMount[],
  volumes: VolumeAccess,
  containerId: string,
): Promise<OciMount[]> {
  const out: OciMount[] = [];
  const activated: string[] = [];
  try {
    for (const m of mounts) {
      const hostDst = await resolveInRoot(rootfs, m.destination);
      const destination = `/${relative(rootfs, hostDst)}`;
      const access = m.rw ? 'rw' : 'ro';
      if (m.type === 'tmpfs') {
        // Not pre-created: runc gives a tmpfs the mode of an existing mount point, which would
        // override tmpfs-mode; runc creates a missing one inside the rootfs itself.
        out.push({ destination, type: 'tmpfs', source: 'tmpfs', options: m.tmpfsOptions ?? [] });
        continue;
      }
      let source = m.source;
      let isDir = true;
      if (m.type === 'volume') {
        source = await volumes.activate(m.source, containerId, {
          destination: m.destination,
          rw: m.rw,
          propagation: m.propagation,
        });
        activated.push(m.source);
      } else {
        isDir = await bindSource(m);
      }
      await makeMountPoint(hostDst, isDir);
      const bind = m.nonRecursive ? 'bind' : 'rbind';
      out.push({
        destination,
        type: 'bind',
        source,
        options: [bind, m.propagation || 'rprivate', access],
      });
    }
  } catch (e) {
    await releaseVolumes(volumes, containerId, activated);
    throw e;
  }
  return out;
}

/** Releases a container's volumes after it stopped (or failed to start); never throws. */
export async function releaseVolumes(
  volumes: VolumeAccess,
  containerId: string,
  names: readonly string[],
  log: (msg: string) => void = () => undefined,
): Promise<void> {
  for (const n of names) {
    await volumes
      .release(n, containerId)
      .catch((e: unknown) => log(`release volume ${n}: ${String(e)}`));
  }
}

/** The names of the volumes among a container's mounts. */
export const volumeNames = (mounts: readonly ResolvedMount[] | undefined): string[] =>
  (mounts ?? []).filter((m) => m.type === 'volume').map((m) => m.source);
