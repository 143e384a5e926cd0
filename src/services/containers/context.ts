import { join } from 'node:path';
import { invalidParameter, notFound } from '../../errors/index.js';
import { KeyedMutex } from '../../lib/keyed-mutex.js';
import type { StoredContainer } from '../../store/metadata/containers-repository.js';
import { AttachHub } from './attach-hub.js';
import type { ContainerDeps } from './deps.js';
import type { Container, ContainerConfig, ContainerStatus } from './types.js';
import { Waiters } from './waiters.js';
import { RestartScheduler } from './restart-scheduler.js';
import { connectAttach } from '../../drivers/runtime/attach.js';
import type { HealthState } from './health/state-machine.js';

export type Stored = StoredContainer<ContainerConfig>;

/**
 * The shared machinery every verb uses: dependencies, the per-container lock, waiters and the
 * attach hub. Verbs follow lock → reload → check → act → save.
 */
export class ContainerContext {
  readonly mutex = new KeyedMutex();
  readonly waiters = new Waiters();
  readonly hub: AttachHub;
  readonly restarts = new RestartScheduler();
  /** Health check states by container id, in memory only (written by health/monitor.ts). */
  readonly health = new Map<string, HealthState>();
  /** Cleanup still running after its verb answered (see exit.ts); shutdown waits for it. */
  private readonly pending = new Set<Promise<unknown>>();

  constructor(readonly deps: ContainerDeps) {
    this.hub = new AttachHub((bundleDir) => connectAttach(bundleDir));
  }

  /** Keeps `p` in the set of work shutdown waits for, until it settles. */
  track(p: Promise<unknown>): void {
    const tracked = p.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  /** Resolves once every tracked piece of work has settled. */
  async drain(): Promise<void> {
    this.restarts.clear(); // containers left `restarting` are started again at the next boot
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Finds a container by full id, name, or unique id prefix, as Docker does. */
  lookup(idOrName: string): Stored {
    const { repo } = this.deps;
    const key = idOrName.startsWith('/') ? idOrName.slice(1) : idOrName;
    const found = repo.byId(key) ?? repo.byName(key);
    if (found) return found;
    if (/^[0-9a-f]+$/.test(key)) {
      const matches = repo.byIdPrefix(key);
      if (matches.length > 1) {
        throw invalidParameter(`multiple IDs found with provided prefix: ${key}`);
      }
      if (matches[0]) return matches[0];
    }
    throw notFound(`No such container: ${idOrName}`);
  }

  /** Reloads a container inside its lock; NotFound when it vanished meanwhile. */
  reload(id: string): Stored {
    const c = this.deps.repo.byId(id);
    if (!c) throw notFound(`No such container: ${id}`);
    return c;
  }

  status(c: Stored): ContainerStatus {
    return c.state.status as ContainerStatus;
  }

  logPath(id: string): string {
    return join(this.deps.paths.containerDir(id), 'ctr.log');
  }

  /** The service's view of a stored container. */
  view(c: Stored): Container {
    const dir = this.deps.paths.containerDir(c.id);
    const health = this.health.get(c.id);
    return {
      id: c.id,
      name: c.name,
      imageId: c.imageId,
      imageRef: c.imageRef,
      createdAt: c.createdAt,
      config: c.config,
      state: {
        status: c.state.status as ContainerStatus,
        pid: c.state.pid,
        exitCode: c.state.exitCode,
        error: c.state.error,
        oomKilled: c.state.oomKilled,
        startedAt: c.state.startedAt,
        finishedAt: c.state.finishedAt,
        restartCount: c.state.restartCount,
      },
      ...(health ? { health } : {}),
      paths: {
        logPath: join(dir, 'ctr.log'),
        hostnamePath: join(dir, 'hostname'),
        hostsPath: join(dir, 'hosts'),
        resolvConfPath: join(dir, 'resolv.conf'),
      },
    };
  }
}
