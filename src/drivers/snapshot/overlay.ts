import { mkdir, readFile, rename, rm, stat, symlink, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { conflict, notFound } from '../../errors/index.js';
import { atomicWrite } from '../../lib/atomic-write.js';
import type { Digest } from '../../lib/digest.js';
import { KeyedMutex } from '../../lib/keyed-mutex.js';
import { diskUsage } from './disk-usage.js';
import { fillInitLayer } from './init-layer.js';
import { shiftOwnership, type IdShift } from './id-shift.js';
import { OverlayLayers } from './overlay-layers.js';
import {
  exists,
  newLink,
  OverlayLayout,
  parseRecord,
  readdirOrEmpty,
  type SnapshotRecord,
} from './overlay-layout.js';
import { isMountPoint, mountOverlay, unmountPath } from './overlay-mount.js';
import type { Snapshotter } from './snapshotter.js';

/** The overlayfs snapshotter (Docker's `overlay2` layout idea; see overlay-layout.ts). */
export class OverlaySnapshotter implements Snapshotter {
  readonly name = 'overlay2';
  private readonly layout: OverlayLayout;
  private readonly layers: OverlayLayers;
  private readonly locks = new KeyedMutex();

  private constructor(
    readonly root: string,
    private readonly idShift: IdShift | undefined,
  ) {
    this.layout = new OverlayLayout(root);
    this.layers = new OverlayLayers(this.layout);
  }

  /**
   * Opens (creating if needed) the snapshotter at `root`; clears leftovers of interrupted work.
   * With `idShift` (a `--userns-remap` daemon) every layer and container snapshot is owned by
   * the remapped ids: files are re-owned after each fill, before the layer becomes visible.
   */
  static async open(root: string, opts: { idShift?: IdShift } = {}): Promise<OverlaySnapshotter> {
    const s = new OverlaySnapshotter(root, opts.idShift);
    const l = s.layout;
    await rm(l.tmpDir, { recursive: true, force: true });
    for (const d of [l.layersDir, l.containersDir, l.linksDir, l.tmpDir])
      await mkdir(d, { recursive: true });
    // A crash between creating a link and renaming its layer into place leaves it dangling.
    for (const name of (await readdirOrEmpty(l.linksDir)) ?? []) {
      const link = join(l.linksDir, name);
      await stat(link).catch(async (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') await unlink(link);
      });
    }
    return s;
  }

  hasLayer(chainId: Digest): Promise<boolean> {
    return this.layers.has(chainId);
  }

  ensureLayer(chainId: Digest, parent: Digest | null, fill: (dir: string) => Promise<void>) {
    const shift = this.idShift;
    if (shift === undefined) return this.layers.ensure(chainId, parent, fill);
    return this.layers.ensure(chainId, parent, async (dir) => {
      await fill(dir);
      await shiftOwnership(dir, shift);
    });
  }

  removeLayer(chainId: Digest): Promise<void> {
    return this.layers.remove(chainId, async () => {
      for (const key of await this.listContainers()) {
        const rec = await this.readRecord(key).catch(() => null);
        if (rec?.layers.includes(chainId) === true) return key;
      }
      return null;
    });
  }

  layerSize(chainId: Digest): Promise<number> {
    return this.layers.size(chainId);
  }

  listLayers(): Promise<Digest[]> {
    return this.layers.list();
  }

  async prepare(key: string, layers: Digest[]): Promise<void> {
    const dir = this.layout.containerDir(key);
    await this.locks.run(key, async () => {
      for (const l of layers) {
        if (!(await this.layers.has(l))) throw notFound(`layer ${l}: not found`);
      }
      if (await exists(dir)) throw conflict(`snapshot ${key} already exists`);
      const tmp = this.layout.scratch('ctr');
      const record: SnapshotRecord = { layers: [...layers], initLink: newLink() };
      const linkPath = join(this.layout.linksDir, record.initLink);
      try {
        for (const sub of ['init', 'upper', 'work', 'merged'])
          await mkdir(join(tmp, sub), { recursive: true, mode: 0o755 });
        await fillInitLayer(join(tmp, 'init'));
        if (this.idShift !== undefined) await shiftOwnership(tmp, this.idShift);
        await atomicWrite(join(tmp, 'snapshot.json'), JSON.stringify(record));
        await symlink(`../containers/${key}/init`, linkPath);
        await rename(tmp, dir);
      } catch (e) {
        await unlink(linkPath).catch(() => undefined);
        await rm(tmp, { recursive: true, force: true });
        throw e;
      }
    });
  }

  async mount(key: string): Promise<string> {
    const dir = this.layout.containerDir(key);
    return this.locks.run(key, async () => {
      const rec = await this.readRecord(key);
      const merged = join(dir, 'merged');
      if (await isMountPoint(merged)) return merged;
      const lowers = [`l/${rec.initLink}`];
      for (const l of [...rec.layers].reverse()) lowers.push(`l/${await this.layout.layerLink(l)}`);
      const upper = join(dir, 'upper');
      await mountOverlay({
        cwd: this.root,
        lowers,
        upper,
        work: join(dir, 'work'),
        target: merged,
      });
      return merged;
    });
  }

  async unmount(key: string): Promise<void> {
    const dir = this.layout.containerDir(key);
    await this.locks.run(key, () => unmountPath(join(dir, 'merged')));
  }

  async remove(key: string): Promise<void> {
    const dir = this.layout.containerDir(key);
    await this.locks.run(key, async () => {
      if (!(await exists(dir))) return;
      await unmountPath(join(dir, 'merged'));
      const rec = await this.readRecord(key).catch(() => null);
      const trash = this.layout.scratch('rm');
      await rename(dir, trash);
      if (rec !== null)
        await unlink(join(this.layout.linksDir, rec.initLink)).catch(() => undefined);
      await rm(trash, { recursive: true, force: true });
    });
  }

  upperDir(key: string): string {
    return join(this.layout.containerDir(key), 'upper');
  }

  async upperSize(key: string): Promise<number> {
    await this.readRecord(key);
    return diskUsage(this.upperDir(key));
  }

  async listContainers(): Promise<string[]> {
    return (await readdirOrEmpty(this.layout.containersDir)) ?? [];
  }

  async driverData(key: string): Promise<Record<string, string>> {
    const dir = this.layout.containerDir(key);
    const rec = await this.readRecord(key);
    const lowers = [
      join(dir, 'init'),
      ...[...rec.layers].reverse().map((l) => join(this.layout.layerDir(l), 'diff')),
    ];
    return {
      LowerDir: lowers.join(':'),
      MergedDir: join(dir, 'merged'),
      UpperDir: join(dir, 'upper'),
      WorkDir: join(dir, 'work'),
    };
  }

  private async readRecord(key: string): Promise<SnapshotRecord> {
    try {
      return parseRecord(
        await readFile(join(this.layout.containerDir(key), 'snapshot.json'), 'utf8'),
      );
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        throw notFound(`snapshot ${key}: not found`);
      throw e;
    }
  }
}
