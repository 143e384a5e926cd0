import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Directories of the init layer, with their modes. */
const initDirs: [string, number][] = [
  ['dev', 0o755],
  ['dev/pts', 0o755],
  ['dev/shm', 0o755],
  ['etc', 0o755],
  ['proc', 0o755],
  ['sys', 0o755],
];

/** Empty files the runtime bind-mounts over (or that Docker images expect to exist). */
const initFiles: [string, number][] = [
  ['.dockerenv', 0o755],
  ['dev/console', 0o755],
  ['etc/hostname', 0o644],
  ['etc/hosts', 0o644],
  ['etc/resolv.conf', 0o644],
];

/**
 * Fills a container's init layer, which sits between the image and the writable layer, so that
 * runc finds every mountpoint it needs and never creates one in the upper dir (where it would show
 * up in `docker diff` and `commit`). Mirrors Docker's init layer; `/etc/mtab` points at
 * /proc/mounts as in Docker.
 */
export async function fillInitLayer(dir: string): Promise<void> {
  for (const [path, mode] of initDirs) {
    await mkdir(join(dir, path), { mode });
  }
  for (const [path, mode] of initFiles) {
    await writeFile(join(dir, path), '', { mode, flag: 'wx' });
  }
  await symlink('/proc/mounts', join(dir, 'etc/mtab'));
}
