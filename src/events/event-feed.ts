import type { EngineEvent, EventBus } from './event-bus.js';
import { eventMatches, type EventFilters } from './filters.js';

/** What a GET /events subscriber asked for. Times are epoch nanoseconds. */
export interface EventFeedOptions {
  sinceNano?: bigint;
  untilNano?: bigint;
  filters: EventFilters;
}

/** Where a feed delivers: each matching event in order, then `end` once (until reached). */
export interface EventFeedSink {
  event(ev: EngineEvent): void;
  end(): void;
}

/**
 * Opens a feed over `bus`, as dockerd serves GET /events: with `since` or `until`, the matching
 * history in [since, until] first; then, unless `until` is already past, live events until
 * `until` (a timer) or until the returned `close` is called. Replay and subscription happen in
 * one synchronous step, so no event is lost or delivered twice. `close` is idempotent and leaves
 * neither a listener on the bus nor a timer; `end` is not called after `close`.
 */
export function openEventFeed(
  bus: EventBus,
  opts: EventFeedOptions,
  sink: EventFeedSink,
  now: () => bigint = () => BigInt(Date.now()) * 1_000_000n,
): () => void {
  const match = (ev: EngineEvent): boolean => eventMatches(opts.filters, ev);
  const { sinceNano, untilNano } = opts;
  if (sinceNano !== undefined || untilNano !== undefined) {
    for (const ev of bus.range(sinceNano ?? 0n, untilNano)) if (match(ev)) sink.event(ev);
  }
  const start = now();
  if (untilNano !== undefined && untilNano <= start) {
    sink.end();
    return () => undefined;
  }
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const unsubscribe = bus.subscribe((ev) => {
    if (untilNano !== undefined && ev.timeNano > untilNano) return;
    if (match(ev)) sink.event(ev);
  });
  const close = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
  if (untilNano !== undefined) {
    // setTimeout's limit is 2^31-1 ms (~24.8 days); a later `until` re-arms in steps.
    const arm = (): void => {
      const left = Number((untilNano - now()) / 1_000_000n);
      if (left <= 0) {
        close();
        sink.end();
        return;
      }
      timer = setTimeout(arm, Math.min(left, 2 ** 31 - 1));
    };
    arm();
  }
  return close;
}
