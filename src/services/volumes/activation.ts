import { notFound } from '../../errors/index.js';
import type { VolumeDriver } from '../../drivers/volume/driver.js';
import type { EventBus } from '../../events/event-bus.js';
import type { KeyedMutex } from '../../lib/keyed-mutex.js';
import type { VolumesRepository } from '../../store/metadata/volumes-repository.js';

/**
 * When a volume's data must be available: activated for each starting container, deactivated
 * once none uses it. Users are those activated in this daemon's lifetime plus the running
 * containers the metadata store references (started before a daemon restart). Runs under the
 * volumes service's per-name lock, shared with create and remove.
 */
export class VolumeActivation {
  /** `name` → containers between activate and release in this daemon's lifetime. */
  private readonly active = new Map<string, Set<string>>();

  constructor(
    private readonly repo: VolumesRepository,
    private readonly events: EventBus,
    private readonly locks: KeyedMutex,
    private readonly driverOf: (driver: string) => VolumeDriver,
  ) {}

  /**
   * Makes the data available to `containerId`; returns its host path. Publishes Docker's `mount`
   * event when `attrs` are given (not for the copy-up at create).
   */
  async activate(
    name: string,
    containerId: string,
    attrs?: { destination: string; rw: boolean; propagation: string },
  ): Promise<string> {
    return this.locks.run(name, async () => {
      const v = this.repo.byName(name);
      if (!v) throw notFound(`get ${name}: no such volume`);
      const path = await this.driverOf(v.driver).activate(name, v.options);
      const users = this.active.get(name) ?? new Set<string>();
      users.add(containerId);
      this.active.set(name, users);
      if (attrs) {
        this.events.publish('volume', 'mount', name, {
          container: containerId,
          destination: attrs.destination,
          driver: v.driver,
          propagation: attrs.propagation,
          'read/write': String(attrs.rw),
        });
      }
      return path;
    });
  }

  /**
   * The container no longer uses the volume (it stopped). The driver deactivates it once no
   * other container is using it. `quiet`: no `unmount` event (the copy-up).
   */
  async release(name: string, containerId: string, opts: { quiet?: boolean }): Promise<void> {
    await this.locks.run(name, async () => {
      const v = this.repo.byName(name);
      const users = this.active.get(name);
      users?.delete(containerId);
      if (users?.size === 0) this.active.delete(name);
      if (!v) return;
      if (!opts.quiet) {
        this.events.publish('volume', 'unmount', name, {
          container: containerId,
          driver: v.driver,
        });
      }
      const live = this.repo.liveUsers(name).filter((id) => id !== containerId);
      if ((users?.size ?? 0) > 0 || live.length > 0) return;
      await this.driverOf(v.driver).deactivate(name);
    });
  }

  /** Drops what is known of a removed volume (called under its lock). */
  forget(name: string): void {
    this.active.delete(name);
  }
}
