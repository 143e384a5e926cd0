import type { ExitWatcher } from '../drivers/runtime/exit-watcher.js';

/** What the monitor drives: the containers service's exit and reconcile entry points. */
export interface ExitTarget {
  exited(id: string, code: number | null): Promise<void>;
  reconcile(readExit: (id: string) => Promise<number | null>): Promise<void>;
}

/**
 * Feeds conmon's exit files to the containers service. `start` subscribes before it reconciles,
 * so an exit that lands while berthd boots is seen either by the watcher or by reconcile (the
 * service ignores the second report of the same exit).
 */
export class ExitMonitor {
  constructor(
    private readonly watcher: ExitWatcher,
    private readonly target: ExitTarget,
    private readonly log: (msg: string) => void,
  ) {}

  async start(): Promise<void> {
    this.watcher.on('exit', (id: string, code: number | null) => {
      this.target
        .exited(id, code)
        .catch((e: unknown) => this.log(`recording exit of ${id}: ${String(e)}`));
    });
    this.watcher.on('error', (e: unknown) => this.log(`exit watcher: ${String(e)}`));
    await this.target.reconcile((id) => this.watcher.readExit(id));
  }

  close(): void {
    this.watcher.close();
  }
}
