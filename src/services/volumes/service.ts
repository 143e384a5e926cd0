import { conflict, invalidParameter, isKind, notFound } from '../../errors/index.js';
import type { VolumeDriver } from '../../drivers/volume/driver.js';
import type { EventBus } from '../../events/event-bus.js';
import { newId } from '../../lib/ids.js';
import { KeyedMutex } from '../../lib/keyed-mutex.js';
import type { StoredVolume, VolumesRepository } from '../../store/metadata/volumes-repository.js';
import { VolumeActivation } from './activation.js';
import { listFilter, pruneFilter } from './filters.js';
import { checkVolumeName } from './names.js';
import { anonymousLabel, type CreateVolumeRequest, type VolumeView } from './types.js';

/** What the volumes service is built from; the daemon wires it. */
export interface VolumesDeps {
  repo: VolumesRepository;
  /** The built-in drivers by name (`local`). */
  drivers: ReadonlyMap<string, VolumeDriver>;
  events: EventBus;
  log: (msg: string) => void;
}

const noSuchVolume = (name: string) => notFound(`get ${name}: no such volume`);

/**
 * Volumes: create, inspect, list, remove, prune, and the calls containers make to use them.
 * Every change to one name runs under that name's lock; "in use" is read from the metadata
 * store's references, so it survives a daemon restart.
 */
export class VolumesService {
  private readonly locks = new KeyedMutex();
  private readonly activation: VolumeActivation;

  constructor(private readonly deps: VolumesDeps) {
    this.activation = new VolumeActivation(deps.repo, deps.events, this.locks, (d) =>
      this.driverOf(d),
    );
  }

  private driverOf(name: string): VolumeDriver {
    const d = this.deps.drivers.get(name);
    if (!d) throw notFound(`error looking up volume plugin ${name}: plugin "${name}" not found`);
    return d;
  }

  private view(v: StoredVolume): VolumeView {
    return {
      name: v.name,
      driver: v.driver,
      mountpoint: this.driverOf(v.driver).path(v.name),
      createdAt: v.createdAt,
      labels: v.labels,
      scope: 'local',
      options: v.options,
    };
  }

  private async withUsage(v: StoredVolume, refCount: number): Promise<VolumeView> {
    const size = await this.driverOf(v.driver)
      .size(v.name)
      .catch(() => -1);
    return { ...this.view(v), usage: { size, refCount } };
  }

  /**
   * POST /volumes/create. A name already taken returns that volume unchanged (Docker), unless it
   * belongs to another driver (409). No name: a random one, labelled anonymous.
   */
  async create(req: CreateVolumeRequest): Promise<VolumeView> {
    return this.view((await this.ensure(req)).volume);
  }

  /** Creates the volume unless it exists; `created` says which. */
  async ensure(req: CreateVolumeRequest): Promise<{ volume: StoredVolume; created: boolean }> {
    const anonymous = req.name === undefined || req.name === '';
    const name = anonymous ? newId() : checkVolumeName(req.name as string);
    const driverName = req.driver || 'local';
    const driver = this.driverOf(driverName);
    const opts = req.driverOpts ?? {};
    const labels = { ...(req.labels ?? {}), ...(anonymous ? { [anonymousLabel]: '' } : {}) };
    for (const [k, v] of Object.entries({ ...opts, ...labels })) {
      if (typeof v !== 'string') throw invalidParameter(`invalid value for ${k}: must be a string`);
    }
    driver.validateOptions(opts);
    return this.locks.run(name, async () => {
      const existing = this.deps.repo.byName(name);
      if (existing) {
        if (existing.driver !== driverName) {
          throw conflict(`create ${name}: volume name must be unique`);
        }
        return { volume: existing, created: false };
      }
      await driver.create(name, opts);
      const volume: StoredVolume = {
        name,
        driver: driverName,
        createdAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        labels,
        options: { ...opts },
      };
      this.deps.repo.insert(volume);
      this.deps.events.publish('volume', 'create', name, { driver: driverName });
      return { volume, created: true };
    });
  }

  /** GET /volumes/{name}. */
  async inspect(name: string, opts: { usage?: boolean } = {}): Promise<VolumeView> {
    const v = this.deps.repo.byName(name);
    if (!v) throw noSuchVolume(name);
    if (!opts.usage) return this.view(v);
    return this.withUsage(v, this.deps.repo.users(name).length);
  }

  /**
   * GET /volumes with Docker's filters; with `usage` each volume carries UsageData (size and
   * reference count), which GET /system/df reports.
   */
  async list(
    filters: Record<string, string[]> = {},
    opts: { usage?: boolean } = {},
  ): Promise<{ volumes: VolumeView[]; warnings: string[] }> {
    const match = listFilter(filters);
    const counts = this.deps.repo.refCounts();
    const out: VolumeView[] = [];
    for (const v of this.deps.repo.all()) {
      const refs = counts.get(v.name) ?? 0;
      if (!match(this.view(v), refs)) continue;
      out.push(opts.usage ? await this.withUsage(v, refs) : this.view(v));
    }
    return { volumes: out, warnings: [] };
  }

  /** DELETE /volumes/{name}: 409 while any container references it; `force` ignores a miss. */
  async remove(name: string, opts: { force?: boolean } = {}): Promise<void> {
    await this.locks.run(name, async () => {
      const v = this.deps.repo.byName(name);
      if (!v) {
        if (opts.force) return;
        throw noSuchVolume(name);
      }
      const users = this.deps.repo.users(name);
      if (users.length > 0)
        throw conflict(`remove ${name}: volume is in use - [${users.join(', ')}]`);
      const driver = this.driverOf(v.driver);
      await driver.deactivate(name);
      const { removed, users: late } = this.deps.repo.removeUnused(name);
      if (late.length > 0)
        throw conflict(`remove ${name}: volume is in use - [${late.join(', ')}]`);
      if (!removed) return;
      this.activation.forget(name);
      await driver.remove(name);
      this.deps.events.publish('volume', 'destroy', name, { driver: v.driver });
    });
  }

  /** POST /volumes/prune: unused volumes matching the filters (anonymous only without all). */
  async prune(
    filters: Record<string, string[]>,
  ): Promise<{ deleted: string[]; spaceReclaimed: number }> {
    const match = pruneFilter(filters);
    const counts = this.deps.repo.refCounts();
    const deleted: string[] = [];
    let spaceReclaimed = 0;
    for (const v of this.deps.repo.all()) {
      if ((counts.get(v.name) ?? 0) > 0 || !match(this.view(v))) continue;
      const size = await this.driverOf(v.driver)
        .size(v.name)
        .catch(() => 0);
      try {
        await this.remove(v.name);
      } catch (e) {
        if (isKind(e, 'Conflict') || isKind(e, 'NotFound')) continue; // taken meanwhile
        throw e;
      }
      deleted.push(v.name);
      spaceReclaimed += Math.max(0, size);
    }
    return { deleted, spaceReclaimed };
  }

  /** Records that a container (its row already stored) uses these volumes. */
  addRefs(containerId: string, names: readonly string[]): void {
    this.deps.repo.addRefs(containerId, names);
  }

  /** Makes a volume's data available to a starting container (see activation.ts). */
  activate(
    name: string,
    containerId: string,
    attrs?: { destination: string; rw: boolean; propagation: string },
  ): Promise<string> {
    return this.activation.activate(name, containerId, attrs);
  }

  /** The container stopped using the volume (see activation.ts). */
  release(name: string, containerId: string, opts: { quiet?: boolean } = {}): Promise<void> {
    return this.activation.release(name, containerId, opts);
  }

  /** The host path of a volume's data; undefined when there is no such volume. */
  mountpoint(name: string): string | undefined {
    const v = this.deps.repo.byName(name);
    return v && this.driverOf(v.driver).path(name);
  }

  /** Removes a volume when nothing references it any more (anonymous volumes after `rm -v`). */
  async removeIfUnused(name: string): Promise<void> {
    try {
      await this.remove(name);
    } catch (e) {
      if (isKind(e, 'Conflict') || isKind(e, 'NotFound')) return;
      throw e;
    }
  }
}
