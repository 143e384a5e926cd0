import { chown, lstat, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidParameter, systemError } from '../../errors/index.js';
import { execFile } from '../../lib/exec.js';
import { diskUsage } from '../snapshot/disk-usage.js';
import type { VolumeDriver } from './driver.js';
import { mountOptions, mountsDevice, validateLocalOptions } from './local-options.js';
import { isMountPoint } from './mount-table.js';

const mountTimeoutMs = 30_000;
const namePattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/**
 * Docker's `local` driver: each volume is `<root>/<name>/_data`. With driver options the data is
 * a device mounted on `_data` (`mount -t <type> -o <o> <device> _data`) while a container uses it,
 * and unmounted again after, as Docker does; the device's own content is never deleted.
 */
export class LocalVolumeDriver implements VolumeDriver {
  readonly name = 'local';

  /** `owner`: who owns each new `_data` (the remapped root on a `--userns-remap` daemon). */
  constructor(
    private readonly root: string,
    private readonly owner?: { uid: number; gid: number },
  ) {}

  validateOptions(opts: Readonly<Record<string, string>>): void {
    validateLocalOptions(opts);
  }

  /** `<root>/<name>`; the name is checked again so no caller can make it leave the root. */
  private dir(name: string): string {
    if (!namePattern.test(name)) throw invalidParameter(`invalid volume name: ${name}`);
    return join(this.root, name);
  }

  path(name: string): string {
    return join(this.dir(name), '_data');
  }

  async create(name: string, opts: Readonly<Record<string, string>>): Promise<void> {
    validateLocalOptions(opts);
    await mkdir(this.root, { recursive: true, mode: 0o701 });
    await mkdir(this.dir(name), { recursive: true, mode: 0o701 });
    await mkdir(this.path(name), { recursive: true, mode: 0o755 });
    if (this.owner) await chown(this.path(name), this.owner.uid, this.owner.gid);
  }

  async activate(name: string, opts: Readonly<Record<string, string>>): Promise<string> {
    const path = this.path(name);
    await mkdir(path, { recursive: true, mode: 0o755 });
    if (!mountsDevice(opts) || (await isMountPoint(path))) return path;
    const o = mountOptions(opts);
    const args = ['-t', opts['type'] || 'none'];
    if (o.length > 0) args.push('-o', o.join(','));
    args.push('--', opts['device'] ?? '', path);
    const r = await execFile('mount', args, { timeoutMs: mountTimeoutMs });
    if (r.code !== 0) {
      throw systemError(`error while mounting volume '${path}': ${r.stderr.trim()}`);
    }
    return path;
  }

  async deactivate(name: string): Promise<void> {
    const path = this.path(name);
    if (!(await isMountPoint(path))) return;
    const r = await execFile('umount', [path], { timeoutMs: mountTimeoutMs });
    if (r.code !== 0 && (await isMountPoint(path))) {
      throw systemError(`error while unmounting volume '${path}': ${r.stderr.trim()}`);
    }
  }

  async remove(name: string): Promise<void> {
    await this.deactivate(name);
    // Deleting through a mount would destroy the device's files (a bind-backed volume's host dir).
    if (await isMountPoint(this.path(name))) {
      throw systemError(`volume ${name} is still mounted at ${this.path(name)}`);
    }
    await rm(this.dir(name), { recursive: true, force: true });
  }

  async size(name: string): Promise<number> {
    const path = this.path(name);
    const st = await lstat(path).catch(() => undefined);
    if (!st?.isDirectory()) return 0;
    return diskUsage(path);
  }
}
