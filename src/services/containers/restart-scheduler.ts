/**
 * Pending policy restarts, one timer per container, plus each container's current backoff. In
 * memory only: at boot, reconcile reschedules containers found in the `restarting` state.
 */
export class RestartScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly delays = new Map<string, number>();

  /** Runs `fn` after `delayMs`, replacing any restart already pending for `id`. */
  schedule(id: string, delayMs: number, fn: () => void): void {
    this.cancel(id);
    this.delays.set(id, delayMs);
    const t = setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, delayMs);
    t.unref();
    this.timers.set(id, t);
  }

  /** True while a restart of `id` is pending. */
  pending(id: string): boolean {
    return this.timers.has(id);
  }

  /** Cancels a pending restart; true when there was one. */
  cancel(id: string): boolean {
    const t = this.timers.get(id);
    if (t === undefined) return false;
    clearTimeout(t);
    this.timers.delete(id);
    return true;
  }

  /** The backoff used for the last restart of `id`, if any. */
  lastDelay(id: string): number | undefined {
    return this.delays.get(id);
  }

  /** Forgets a container entirely (removed, or started by the user: backoff starts afresh). */
  forget(id: string): void {
    this.cancel(id);
    this.delays.delete(id);
  }

  /** Cancels everything (daemon shutdown). */
  clear(): void {
    for (const id of [...this.timers.keys()]) this.cancel(id);
  }
}
