import { mkdir, readFile, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { conflict, notFound } from '../../errors/index.js';
import { digestHex, isDigest, type Digest } from '../../lib/digest.js';
import { KeyedMutex } from '../../lib/keyed-mutex.js';
import { diskUsage } from './disk-usage.js';
import { exists, newLink, readdirOrEmpty, type OverlayLayout } from './overlay-layout.js';

/**
 * The committed, read-only layers of the overlay snapshotter (layers/<hex>/ and their l/ links).
 * A layer is filled in tmp/ and renamed into place, so it exists completely or not at all.
 */
export class OverlayLayers {
  private readonly pending = new Map<string, Promise<void>>();
  private readonly locks = new KeyedMutex();

  constructor(private readonly layout: OverlayLayout) {}

  has(chainId: Digest): Promise<boolean> {
    return exists(join(this.layout.layerDir(chainId), 'diff'));
  }

  /** See Snapshotter.ensureLayer: one fill at a time per chain id; a failed fill is retried. */
  async ensure(chainId: Digest, parent: Digest | null, fill: (dir: string) => Promise<void>) {
    this.layout.layerDir(chainId); // validates
    for (;;) {
      const running = this.pending.get(chainId);
      if (running !== undefined) {
        await running.catch(() => undefined); // a failed first attempt: try again ourselves
        continue;
      }
      if (await this.has(chainId)) return;
      if (this.pending.has(chainId)) continue;
      const job = this.locks.run(chainId, () => this.create(chainId, parent, fill));
      this.pending.set(chainId, job);
      try {
        return await job;
      } finally {
        this.pending.delete(chainId);
      }
    }
  }

  private async create(
    chainId: Digest,
    parent: Digest | null,
    fill: (dir: string) => Promise<void>,
  ) {
    if (parent !== null && !(await this.has(parent)))
      throw notFound(`parent layer ${parent}: not found`);
    const tmp = this.layout.scratch('layer');
    const link = newLink();
    const linkPath = join(this.layout.linksDir, link);
    try {
      await mkdir(join(tmp, 'diff'), { recursive: true, mode: 0o755 });
      await fill(join(tmp, 'diff'));
      await writeFile(join(tmp, 'link'), link);
      await writeFile(join(tmp, 'parent'), parent ?? '');
      await symlink(`../layers/${digestHex(chainId)}/diff`, linkPath);
      try {
        await rename(tmp, this.layout.layerDir(chainId));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
        await unlink(linkPath); // another process committed it first: theirs stays
      }
    } catch (e) {
      await unlink(linkPath).catch(() => undefined);
      throw e;
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }

  /**
   * Deletes a layer unless `usedBy` names a user or a layer lists it as parent; no-op when absent.
   * Renamed into tmp/ first, so a crash midway leaves no half layer in layers/.
   */
  async remove(chainId: Digest, usedBy: () => Promise<string | null>): Promise<void> {
    const dir = this.layout.layerDir(chainId);
    await this.locks.run(chainId, async () => {
      if (!(await this.has(chainId))) return;
      const user = await usedBy();
      if (user !== null) throw conflict(`layer ${chainId} is in use by snapshot ${user}`);
      for (const other of await this.list()) {
        const parent = await readFile(join(this.layout.layerDir(other), 'parent'), 'utf8').catch(
          () => '',
        );
        if (parent.trim() === chainId) throw conflict(`layer ${chainId} has child layer ${other}`);
      }
      const link = await this.layout.layerLink(chainId);
      const trash = this.layout.scratch('rm');
      await rename(dir, trash);
      await unlink(join(this.layout.linksDir, link)).catch(() => undefined);
      await rm(trash, { recursive: true, force: true });
    });
  }

  async size(chainId: Digest): Promise<number> {
    if (!(await this.has(chainId))) throw notFound(`layer ${chainId}: not found`);
    return diskUsage(join(this.layout.layerDir(chainId), 'diff'));
  }

  async list(): Promise<Digest[]> {
    const names = (await readdirOrEmpty(this.layout.layersDir)) ?? [];
    return names.map((n): string => `sha256:${n}`).filter(isDigest);
  }
}
