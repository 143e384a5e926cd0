import type { WaitCondition, WaitResult } from './types.js';

interface Waiter {
  condition: WaitCondition;
  resolve: (r: WaitResult) => void;
}

/**
 * In-memory registry of POST /wait callers. The lifecycle code calls `exited` when a container
 * stops and `removed` when it is deleted; waiters resolve on the first event their condition
 * accepts. A waiter whose caller went away is cancelled so nothing is retained.
 */
export class Waiters {
  private readonly byId = new Map<string, Set<Waiter>>();

  /** Registers a waiter; returns its result and a cancel function. */
  add(id: string, condition: WaitCondition): { result: Promise<WaitResult>; cancel: () => void } {
    let waiter!: Waiter;
    const result = new Promise<WaitResult>((resolve) => {
      waiter = { condition, resolve };
    });
    let set = this.byId.get(id);
    if (!set) this.byId.set(id, (set = new Set()));
    set.add(waiter);
    const cancel = (): void => {
      set.delete(waiter);
      if (set.size === 0 && this.byId.get(id) === set) this.byId.delete(id);
    };
    return { result, cancel };
  }

  /** The container stopped: wakes `not-running` and `next-exit` waiters. */
  exited(id: string, result: WaitResult): void {
    this.wake(id, result, (c) => c !== 'removed');
  }

  /** The container is gone: wakes everyone still waiting on it. */
  removed(id: string, result: WaitResult): void {
    this.wake(id, result, () => true);
  }

  private wake(id: string, result: WaitResult, match: (c: WaitCondition) => boolean): void {
    const set = this.byId.get(id);
    if (!set) return;
    for (const w of [...set]) {
      if (!match(w.condition)) continue;
      set.delete(w);
      w.resolve(result);
    }
    if (set.size === 0) this.byId.delete(id);
  }
}
