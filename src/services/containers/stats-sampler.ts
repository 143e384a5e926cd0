import type { CgroupStats, HostCpu, InterfaceStats } from '../../drivers/cgroups/index.js';

/** One reading of a container's counters. */
export interface StatsSample {
  /** When it was read, in epoch nanoseconds. */
  readNs: bigint;
  cgroup: CgroupStats;
  host: HostCpu;
  /** Interfaces other than loopback; absent when the container has none of its own. */
  networks?: Record<string, InterfaceStats>;
}

/**
 * What one stats object carries: the current sample and the one before it (Docker's `precpu`).
 * A frame without `current` is Docker's zeroed answer for a container that is not running.
 */
export interface StatsFrame {
  current?: StatsSample;
  previous?: StatsSample;
}

/** How to sample; mirrors the query of GET /containers/{id}/stats. */
export interface SamplingOptions {
  stream: boolean;
  oneShot: boolean;
  signal: AbortSignal;
  intervalMs?: number;
}

/** Waits `ms`, or less when `signal` aborts; true when the full time passed. Leaves no timer. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (full: boolean): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(full);
    };
    const onAbort = (): void => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Frames as dockerd sends them. `oneShot`: one sample without `previous`. `stream`: a frame at
 * once (no `previous`), then one per interval with the sample before it, until `read` fails
 * (the container stopped) or `signal` aborts. Neither: two samples one interval apart, one frame,
 * so the CPU percentage has a base. A failed read in non-stream mode gives the zeroed frame.
 */
export async function* sampleFrames(
  read: () => Promise<StatsSample>,
  opts: SamplingOptions,
): AsyncGenerator<StatsFrame> {
  const interval = opts.intervalMs ?? 1000;
  let previous: StatsSample | undefined;
  for (;;) {
    if (opts.signal.aborted) return;
    let current: StatsSample;
    try {
      current = await read();
    } catch {
      if (!opts.stream) yield {};
      return;
    }
    if (opts.oneShot) {
      yield { current };
      return;
    }
    if (opts.stream || previous) {
      yield previous ? { current, previous } : { current };
      if (!opts.stream) return;
    }
    previous = current;
    if (!(await sleep(interval, opts.signal))) return;
  }
}
