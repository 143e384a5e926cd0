import { EventEmitter } from 'node:events';

/** The kinds of object an event is about, as in Docker's `Type` field. */
export type EventType = 'container' | 'image' | 'volume' | 'network' | 'daemon';

/** One engine event, in Docker's shape (Type/Action/Actor) minus the wire casing. */
export interface EngineEvent {
  type: EventType;
  action: string;
  actor: { id: string; attributes: Record<string, string> };
  /** Nanoseconds since the epoch. */
  timeNano: bigint;
}

/**
 * A typed in-process event bus with a bounded history, so GET /events can replay `since`.
 * Publishing never blocks and never throws into the publisher.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private readonly history: EngineEvent[] = [];

  constructor(private readonly historyLimit = 1024) {
    this.emitter.setMaxListeners(0);
  }

  publish(
    type: EventType,
    action: string,
    id: string,
    attributes: Record<string, string> = {},
  ): void {
    const ev: EngineEvent = {
      type,
      action,
      actor: { id, attributes },
      timeNano: BigInt(Date.now()) * 1_000_000n,
    };
    this.history.push(ev);
    if (this.history.length > this.historyLimit) this.history.shift();
    this.emitter.emit('event', ev);
  }

  /** Subscribes; returns the unsubscribe function. */
  subscribe(fn: (ev: EngineEvent) => void): () => void {
    this.emitter.on('event', fn);
    return () => this.emitter.off('event', fn);
  }

  /**
   * Events kept in history at or after `sinceNano` and, when given, at or before `untilNano`,
   * oldest first.
   */
  range(sinceNano: bigint, untilNano?: bigint): EngineEvent[] {
    return this.history.filter(
      (e) => e.timeNano >= sinceNano && (untilNano === undefined || e.timeNano <= untilNano),
    );
  }

  /** How many subscribers are listening (GET /info's NEventsListener; leak checks). */
  listenerCount(): number {
    return this.emitter.listenerCount('event');
  }

  /** Events kept in history at or after `sinceNano`. */
  since(sinceNano: bigint): EngineEvent[] {
    return this.history.filter((e) => e.timeNano >= sinceNano);
  }
}
