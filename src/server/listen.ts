import { chmod, chown, mkdir, readFile, unlink } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';
import type { Server } from 'node:http';
import { invalidParameter, unavailable } from '../errors/index.js';

/** True when something is accepting connections on the unix socket at `path`. */
function socketInUse(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** The gid of a group name (or a numeric gid as is) from /etc/group. */
async function groupId(name: string): Promise<number | undefined> {
  if (/^\d+$/.test(name)) return Number(name);
  const text = await readFile('/etc/group', 'utf8').catch(() => '');
  const line = text.split('\n').find((l) => l.startsWith(`${name}:`));
  const gid = line?.split(':')[2];
  return gid !== undefined && /^\d+$/.test(gid) ? Number(gid) : undefined;
}

/**
 * Fails when a socket group named explicitly (`-G`) does not exist: checked before the daemon
 * touches anything (networks, storage), so a typo leaves no trace on the host.
 */
export async function checkSocketGroup(group: string | undefined): Promise<void> {
  if (group !== undefined && (await groupId(group)) === undefined) {
    throw invalidParameter(`group ${JSON.stringify(group)} for the API socket does not exist`);
  }
}

/**
 * Listens on a unix socket: refuses to steal one a live daemon serves, replaces a stale one, and
 * leaves it mode 0660, owned by root and the `berth` group when that group exists. A `group`
 * named explicitly (`-G`) must exist: a socket silently left root-only would surprise its users.
 */
export async function listenUnix(server: Server, path: string, group?: string): Promise<void> {
  await checkSocketGroup(group);
  const gid = await groupId(group ?? 'berth');
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  if (await socketInUse(path)) throw unavailable(`${path} is in use by another daemon`);
  await unlink(path).catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  await chmod(path, 0o660);
  if (gid !== undefined) await chown(path, 0, gid);
}
