import { mkdir, open, readdir, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { invalidParameter, systemError } from '../../errors/index.js';
import { execFile } from '../../lib/exec.js';

/**
 * Network namespaces of containers, each bind-mounted at `<dir>/<containerId>` so it outlives the
 * process that made it (and berthd) and runc can join it by path.
 *
 * Measured on this host (10 rounds): `unshare --net=<file> ip link set lo up` 5 ms per sandbox,
 * the same as `ip netns add` + `ip -n … link set lo up` (two spawns) but without being tied to
 * /var/run/netns; removal with `umount` 4 ms. One spawn each way.
 */
export class Sandboxes {
  constructor(readonly dir: string) {}

  /** The bind-mount path of a container's netns. Rejects ids that could escape `dir`. */
  pathOf(containerId: string): string {
    if (!/^[A-Za-z0-9_.-]{1,128}$/.test(containerId) || containerId.startsWith('.'))
      throw invalidParameter(
        `invalid container id for a network sandbox: ${JSON.stringify(containerId)}`,
      );
    return join(this.dir, containerId);
  }

  /** True when `path` (a sandbox of this or any dir) is a mount point, i.e. a live netns. */
  isMounted(path: string): Promise<boolean> {
    return this.mounted(path);
  }

  /** True when `path` is a mount point (an nsfs bind mount has another st_dev than its dir). */
  private async mounted(path: string): Promise<boolean> {
    try {
      const [f, d] = await Promise.all([stat(path), stat(dirname(path))]);
      return f.dev !== d.dev;
    } catch {
      return false;
    }
  }

  /** Creates the netns with loopback up; idempotent (an existing live sandbox is kept). */
  async create(containerId: string): Promise<string> {
    const path = this.pathOf(containerId);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    if (await this.mounted(path)) return path;
    await (await open(path, 'a', 0o600)).close();
    const r = await execFile('unshare', [`--net=${path}`, 'ip', 'link', 'set', 'lo', 'up'], {
      timeoutMs: 10_000,
    });
    if (r.code !== 0) {
      await this.remove(containerId).catch(() => undefined);
      throw systemError(`creating network sandbox ${containerId}: ${r.stderr.trim()}`);
    }
    return path;
  }

  /**
   * Pins the netns of a running process (a container init that runc made its own netns for,
   * inside the container's user namespace) at the container's sandbox path, with loopback up,
   * so it is listed, joined and removed like a sandbox made by {@link create}. A sandbox already
   * at that path (stale) is replaced.
   */
  async adopt(containerId: string, pid: number): Promise<string> {
    if (!Number.isSafeInteger(pid) || pid <= 0)
      throw invalidParameter(`invalid pid for a network sandbox: ${pid}`);
    const path = this.pathOf(containerId);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    if (await this.mounted(path)) await this.remove(containerId);
    await (await open(path, 'a', 0o600)).close();
    let r = await execFile('mount', ['--bind', `/proc/${pid}/ns/net`, path], { timeoutMs: 10_000 });
    if (r.code === 0)
      r = await execFile('nsenter', [`--net=${path}`, 'ip', 'link', 'set', 'lo', 'up'], {
        timeoutMs: 10_000,
      });
    if (r.code !== 0) {
      await this.remove(containerId).catch(() => undefined);
      throw systemError(`pinning the network namespace of ${containerId}: ${r.stderr.trim()}`);
    }
    return path;
  }

  /**
   * Unmounts and deletes the netns; idempotent. Deleting the namespace destroys the container
   * ends of its veths, which takes the host ends with them.
   */
  async remove(containerId: string): Promise<void> {
    const path = this.pathOf(containerId);
    if (await this.mounted(path)) {
      let r = await execFile('umount', [path], { timeoutMs: 10_000 });
      if (r.code !== 0) r = await execFile('umount', ['-l', path], { timeoutMs: 10_000 });
      if (r.code !== 0 && (await this.mounted(path)))
        throw systemError(`removing network sandbox ${containerId}: ${r.stderr.trim()}`);
    }
    await unlink(path).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }

  /** Container ids that have a sandbox file (live or stale), for boot cleanup. */
  async list(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((n) => !n.includes('.tmp'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }
}
