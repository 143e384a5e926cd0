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
  remove(idOrName: string, opts: { force: boolean }): Promise<void> {
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
    return listContainers(this.ctx, opts);
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
  inspect(idOrName: string): Container {
    const c = this.ctx.view(this.ctx.lookup(idOrName));
    return { ...c, execIds: this.execs.runningIds(c.id) };
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
