import type { LogBatch } from '../../drivers/logging/k8s-file.js';
import type { AttachSession } from './attach-hub.js';
import { attachContainer, type AttachOptions } from './attach.js';
import { ContainerContext } from './context.js';
import { createContainer } from './create.js';
import type { ContainerDeps } from './deps.js';
import { handleExit } from './exit.js';
import { ExecService } from './exec/service.js';
import type { ExecCreateRequest, ExecStartOptions, ExecView } from './exec/types.js';
import { listContainers, type ListFilters } from './list.js';
import { containerLogs, type LogsOptions } from './logs.js';
import { reconcileContainers } from './reconcile.js';
import { removeContainer } from './remove.js';
import { resizeContainer } from './resize.js';
import { startContainer } from './start.js';
import { containerStats, type ContainerStats, type StatsOptions } from './stats.js';
import { killContainer, stopContainer } from './stop.js';
import type { Container, CreateContainerRequest, WaitCondition, WaitResult } from './types.js';
import { waitContainer } from './wait.js';
import { pauseContainer, unpauseContainer } from './pause.js';
import { renameContainer } from './rename.js';
import { restartContainer } from './restart.js';
import { pruneContainers } from './prune.js';
import { topContainer, type TopResult } from './top.js';
import { updateContainer, type ContainerUpdate } from './update.js';
import { HealthMonitor } from './health/monitor.js';
import type { Readable } from 'node:stream';
import { exportContainer } from './export.js';
import type { Stored } from './context.js';
import type { ContainerRef as NetworkContainerRef, EtcFacts } from '../networks/types.js';
import { refreshEtcFiles } from './etc-files.js';
import { statContainerPath } from './archive-stat.js';
import { getContainerArchive } from './archive-get.js';
import { putContainerArchive, type PutArchiveOptions } from './archive-put.js';
import { containerChanges, type FilesystemChange } from './changes.js';
import { containerSize, type ContainerSize } from './size.js';
import type { PathStat } from '../../archive/path-stat.js';

import { volumePaths as volumePathsOf } from './mounts/container-mounts.js';
/**
 * The containers service: every verb a Docker user has on a container. Each verb lives in its own
 * file; this class only wires them to one shared context.
 */
export class ContainersService {
  private readonly ctx: ContainerContext;

  private readonly execs: ExecService;

  private readonly health: HealthMonitor;

  constructor(deps: ContainerDeps) {
    this.ctx = new ContainerContext(deps);
    this.execs = new ExecService(this.ctx);
    this.health = new HealthMonitor(this.ctx, this.execs);
  }

  /** POST /containers/{id}/exec: returns the exec's id (see exec/create.ts). */
  execCreate(idOrName: string, req: ExecCreateRequest): string {
    return this.execs.create(idOrName, req);
  }
  /** POST /exec/{id}/start (see exec/start.ts). */
  execStart(execId: string, opts: ExecStartOptions): Promise<void> {
    return this.execs.start(execId, opts);
  }
  /** GET /exec/{id}/json. */
  execInspect(execId: string): ExecView {
    return this.execs.inspect(execId);
  }
  /** POST /exec/{id}/resize. */
  execResize(execId: string, rows: number, cols: number): Promise<void> {
    return this.execs.resize(execId, rows, cols);
  }

  create(req: CreateContainerRequest): Promise<{ id: string; warnings: string[] }> {
    return createContainer(this.ctx, req);
  }
  start(idOrName: string): Promise<void> {
    return startContainer(this.ctx, idOrName);
  }
  stop(idOrName: string, opts: { signal?: string; timeoutSec?: number }): Promise<void> {
    return stopContainer(this.ctx, idOrName, opts);
  }
  kill(idOrName: string, signal?: string): Promise<void> {
    return killContainer(this.ctx, idOrName, signal);
  }
  remove(idOrName: string, opts: { force: boolean; removeVolumes?: boolean }): Promise<void> {
    return removeContainer(this.ctx, idOrName, opts);
  }
  wait(
    idOrName: string,
    condition: WaitCondition,
  ): { result: Promise<WaitResult>; cancel: () => void } {
    return waitContainer(this.ctx, idOrName, condition);
  }
  attach(
    idOrName: string,
    session: AttachSession,
    opts?: AttachOptions,
  ): Promise<{ tty: boolean; detach: () => void }> {
    return attachContainer(this.ctx, idOrName, session, opts);
  }
  /** Resizes a running container's TTY (SIGWINCH inside). */
  resize(idOrName: string, rows: number, cols: number): Promise<void> {
    return resizeContainer(this.ctx, idOrName, rows, cols);
  }
  logs(idOrName: string, opts: LogsOptions): { tty: boolean; batches: AsyncIterable<LogBatch> } {
    return containerLogs(this.ctx, idOrName, opts);
  }
  list(opts: { all: boolean; limit: number; filters: ListFilters }): Container[] {
    return listContainers(this.ctx, opts, (c) => this.withNetwork(c));
  }
  pause(idOrName: string): Promise<void> {
    return pauseContainer(this.ctx, idOrName);
  }
  unpause(idOrName: string): Promise<void> {
    return unpauseContainer(this.ctx, idOrName);
  }
  restart(idOrName: string, opts: { signal?: string; timeoutSec?: number }): Promise<void> {
    return restartContainer(this.ctx, idOrName, opts);
  }
  rename(idOrName: string, newName: string): Promise<void> {
    return renameContainer(this.ctx, idOrName, newName);
  }
  prune(filters: Record<string, string[]>): Promise<{ deleted: string[]; spaceReclaimed: number }> {
    return pruneContainers(this.ctx, filters);
  }
  update(idOrName: string, update: ContainerUpdate): Promise<string[]> {
    return updateContainer(this.ctx, idOrName, update);
  }
  top(idOrName: string, psArgs: string): Promise<TopResult> {
    return topContainer(this.ctx, idOrName, psArgs);
  }
  /** GET /containers/{id}/stats; see stats.ts. */
  stats(idOrName: string, opts: StatsOptions): ContainerStats {
    return containerStats(this.ctx, idOrName, opts);
  }
  /** GET /containers/{id}/export: the rootfs as a tar stream; see export.ts. */
  export(idOrName: string): Promise<Readable> {
    return exportContainer(this.ctx, idOrName);
  }
  /** HEAD /containers/{id}/archive; see archive-stat.ts. */
  archiveStat(idOrName: string, path: string): Promise<PathStat> {
    return statContainerPath(this.ctx, idOrName, path);
  }
  /** GET /containers/{id}/archive; see archive-get.ts. */
  archiveGet(idOrName: string, path: string): Promise<{ stat: PathStat; stream: Readable }> {
    return getContainerArchive(this.ctx, idOrName, path);
  }
  /** PUT /containers/{id}/archive; see archive-put.ts. */
  archivePut(idOrName: string, path: string, body: Readable, opts: PutArchiveOptions) {
    return putContainerArchive(this.ctx, idOrName, path, body, opts);
  }
  /** GET /containers/{id}/changes; see changes.ts. */
  changes(idOrName: string): Promise<FilesystemChange[]> {
    return containerChanges(this.ctx, idOrName);
  }
  /** SizeRw/SizeRootFs by container id (unknown ids are left out); see size.ts. */
  async sizes(ids: readonly string[]): Promise<Map<string, ContainerSize>> {
    const layerSizes = new Map<string, Promise<number>>();
    const out = new Map<string, ContainerSize>();
    for (const id of ids) {
      const c = this.ctx.deps.repo.byId(id);
      if (c) out.set(id, await containerSize(this.ctx, c, layerSizes));
    }
    return out;
  }
  inspect(idOrName: string): Container {
    const stored = this.ctx.lookup(idOrName);
    const c = this.withNetwork(this.ctx.view(stored));
    const volumePaths = volumePathsOf(this.ctx, stored);
    return { ...c, execIds: this.execs.runningIds(c.id), volumePaths };
  }
  /** Adds NetworkSettings from the networks service (when wired). */
  private withNetwork(c: Container): Container {
    const net = this.ctx.deps.networking;
    if (!net) return c;
    const { networkMode, ports } = c.config;
    const network = net.settings({
      id: c.id,
      name: c.name,
      hostname: c.config.hostname || c.id.slice(0, 12),
      networkMode,
      ports: ports ?? { exposed: [], bindings: {}, publishAll: false },
    });
    return { ...c, network };
  }
  /**
   * The networks service's way in (see networks/types.ts ContainerAccess): `withLock` runs `fn`
   * under the container's lifecycle lock with its current state.
   */
  networkAccess(): {
    withLock<T>(idOrName: string, fn: (c: NetworkContainerRef) => Promise<T>): Promise<T>;
    peek(id: string): NetworkContainerRef | undefined;
    find(idOrName: string): NetworkContainerRef | undefined;
    refreshEtc(id: string, facts: EtcFacts): Promise<void>;
  } {
    const ctx = this.ctx;
    const ref = (c: Stored): NetworkContainerRef => ({
      id: c.id,
      name: c.name,
      hostname: c.config.hostname || c.id.slice(0, 12),
      running: c.state.status === 'running' || c.state.status === 'paused',
      networkMode: c.config.networkMode,
      links: c.config.links ?? [],
    });
    return {
      withLock: (idOrName, fn) => {
        const { id } = ctx.lookup(idOrName);
        return ctx.mutex.run(id, () => fn(ref(ctx.reload(id))));
      },
      peek: (id) => {
        const c = ctx.deps.repo.byId(id);
        return c ? ref(c) : undefined;
      },
      find: (idOrName) => {
        try {
          return ref(ctx.lookup(idOrName));
        } catch {
          return undefined;
        }
      },
      refreshEtc: (id, facts) =>
        refreshEtcFiles(ctx.deps.paths.containerDir(id), id, ctx.reload(id).config, facts),
    };
  }
  /** Called by the monitor when conmon reports an exit. */
  exited(id: string, code: number | null): Promise<void> {
    return handleExit(this.ctx, id, code);
  }
  /** Waits for cleanup that outlived its request (called at shutdown). */
  drain(): Promise<void> {
    this.health.clear();
    return this.ctx.drain();
  }
  /** Boot-time reconcile; see reconcile.ts. */
  async reconcile(readExit: (id: string) => Promise<number | null>): Promise<void> {
    await reconcileContainers(this.ctx, readExit);
    this.health.resumeRunning(); // health state is in memory: checks start over after a restart
  }
  /** Counts of containers by state, for GET /info. */
  counts(): { total: number; running: number; paused: number; stopped: number } {
    const all = this.ctx.deps.repo.all();
    const running = all.filter((c) => c.state.status === 'running').length;
    const paused = all.filter((c) => c.state.status === 'paused').length;
    return { total: all.length, running, paused, stopped: all.length - running - paused };
  }
}
