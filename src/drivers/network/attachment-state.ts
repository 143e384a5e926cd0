import { mkdir, readFile, readdir, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWrite } from '../../lib/atomic-write.js';
import type { CniResult, PluginConfig } from './cni-plugin.js';
import type { PortMapping } from './types.js';

/**
 * What detach needs, persisted at attach time (under the persistent state dir, so detach works
 * after a daemon restart and even when the netns is gone): the plugin chain and its cached final
 * ADD result, the host veth end, the address and the published ports.
 */
export interface AttachmentRecord {
  networkId: string;
  bridge: string;
  containerId: string;
  ifName: string;
  netnsPath: string;
  address: string;
  hostVeth: string;
  portMappings: PortMapping[];
  /** The plugin chain exactly as ADD ran it (DEL must get the same config). */
  cniChain: PluginConfig[];
  /** The final ADD result, given to DEL as prevResult. */
  cniResult: CniResult;
}

/** One JSON file per (container, ifName): `<dir>/<containerId>/<ifName>.json`. */
export class AttachmentStore {
  constructor(private readonly dir: string) {}

  private file(containerId: string, ifName: string): string {
    return join(this.dir, containerId, `${ifName}.json`);
  }

  /** Saves atomically (temp + fsync + rename). */
  async save(rec: AttachmentRecord): Promise<void> {
    await mkdir(join(this.dir, rec.containerId), { recursive: true, mode: 0o700 });
    await atomicWrite(this.file(rec.containerId, rec.ifName), JSON.stringify(rec), 0o600);
  }

  /** The record, or null when there is none (never attached, or already detached). */
  async load(containerId: string, ifName: string): Promise<AttachmentRecord | null> {
    try {
      return JSON.parse(await readFile(this.file(containerId, ifName), 'utf8')) as AttachmentRecord;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** Deletes the record (and the container's dir when it was the last); idempotent. */
  async delete(containerId: string, ifName: string): Promise<void> {
    await unlink(this.file(containerId, ifName)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    await rmdir(join(this.dir, containerId)).catch(() => undefined); // fails while others remain
  }

  /** Every record of every container (for removeNetwork and boot cleanup). */
  async all(): Promise<AttachmentRecord[]> {
    const out: AttachmentRecord[] = [];
    const ids = await readdir(this.dir).catch(() => [] as string[]);
    for (const id of ids) {
      const files = await readdir(join(this.dir, id)).catch(() => [] as string[]);
      for (const f of files) {
        if (!f.endsWith('.json')) continue;
        const rec = await this.load(id, f.slice(0, -5)).catch(() => null);
        if (rec !== null) out.push(rec);
      }
    }
    return out;
  }
}
