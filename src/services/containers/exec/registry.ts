import { notFound } from '../../../errors/index.js';
import type { ExecRecord } from './types.js';

/** How long a finished exec stays inspectable (Docker's exec GC keeps them for minutes too). */
export const FINISHED_EXEC_TTL_MS = 10 * 60_000;

/**
 * The execs the daemon knows, in memory only: they die with the daemon (a restarted berthd has
 * no record of earlier execs, though their processes keep running under their conmon). Finished
 * execs are pruned lazily after {@link FINISHED_EXEC_TTL_MS}; a removed container's are dropped.
 */
export class ExecRegistry {
  private readonly execs = new Map<string, ExecRecord>();

  constructor(private readonly now: () => number = Date.now) {}

  add(r: ExecRecord): void {
    this.prune();
    this.execs.set(r.id, r);
  }

  /** The exec with that full id; NotFound with Docker's message otherwise. */
  get(id: string): ExecRecord {
    this.prune();
    const r = this.execs.get(id);
    if (r === undefined) throw notFound(`No such exec instance: ${id}`);
    return r;
  }

  /** Ids of a container's execs that are running (Docker's ExecIDs). */
  runningOf(containerId: string): string[] {
    return [...this.execs.values()]
      .filter((r) => r.containerId === containerId && r.phase === 'running')
      .map((r) => r.id);
  }

  /** Forgets a finished exec at once (health probes: thousands a day would otherwise pile up). */
  forgetFinished(id: string): void {
    if (this.execs.get(id)?.phase === 'exited') this.execs.delete(id);
  }

  /** Forgets every exec of a container (it was removed). */
  dropContainer(containerId: string): void {
    for (const [id, r] of this.execs) if (r.containerId === containerId) this.execs.delete(id);
  }

  get size(): number {
    return this.execs.size;
  }

  private prune(): void {
    const cutoff = this.now() - FINISHED_EXEC_TTL_MS;
    for (const [id, r] of this.execs) {
      if (r.phase === 'exited' && r.exitedAt < cutoff) this.execs.delete(id);
    }
  }
}
