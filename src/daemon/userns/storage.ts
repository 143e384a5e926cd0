import { chmod, chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveRemap, type UsernsRemap } from './remap.js';

/** The data root a daemon really uses, and its remapping when `--userns-remap` is on. */
export interface RemappedStorage {
  dataRoot: string;
  remap: UsernsRemap | undefined;
}

/**
 * Resolves `--userns-remap` and, like Docker, keeps a remapped daemon's whole state under
 * `<data-root>/<uid>.<gid>/` (the remapped root's ids): layers unpacked with shifted owners
 * never mix with unshifted ones, and switching the option back and forth keeps both stores.
 * That directory is 0710 root:<remapped gid> so the container root can reach its rootfs
 * without reading anything else.
 */
export async function remappedStorage(
  dataRoot: string,
  spec: string | undefined,
  log: (m: string) => void,
): Promise<RemappedStorage> {
  if (spec === undefined || spec === '') return { dataRoot, remap: undefined };
  const remap = await resolveRemap(spec, { etcDir: '/etc', log });
  const root = join(dataRoot, `${remap.rootUid}.${remap.rootGid}`);
  await mkdir(dataRoot, { recursive: true, mode: 0o711 });
  await mkdir(root, { recursive: true, mode: 0o710 });
  await chown(root, 0, remap.rootGid);
  await chmod(root, 0o710);
  log(
    `user namespaces: container root is ${remap.user}:${remap.group} ` +
      `(${remap.rootUid}:${remap.rootGid}); storage under ${root}`,
  );
  return { dataRoot: root, remap };
}
