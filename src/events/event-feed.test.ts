import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus, type EngineEvent } from './event-bus.js';
import { openEventFeed } from './event-feed.js';

function collector(): {
  events: EngineEvent[];
  ended: () => number;
  sink: { event: (e: EngineEvent) => void; end: () => void };
} {
  const events: EngineEvent[] = [];
  let ends = 0;
  return {
    events,
    ended: () => ends,
    sink: { event: (e) => events.push(e), end: () => void ends++ },
  };
}

const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

test('no since: live events only, filtered; close removes the listener', () => {
  const bus = new EventBus();
  bus.publish('container', 'create', 'old');
  const c = collector();
  const close = openEventFeed(bus, { filters: { event: ['start'] } }, c.sink);
  assert.equal(bus.listenerCount(), 1);
  bus.publish('container', 'start', 'a');
  bus.publish('container', 'die', 'a');
  close();
  close();
  bus.publish('container', 'start', 'b');
  assert.deepEqual(
    c.events.map((e) => e.actor.id),
    ['a'],
  );
  assert.equal(bus.listenerCount(), 0);
  assert.equal(c.ended(), 0);
});

test('since replays history, then follows live without duplicates', () => {
  const bus = new EventBus();
  const t0 = nowNs() - 1_000_000_000n;
  bus.publish('container', 'create', 'x');
  bus.publish('image', 'tag', 'img', { name: 'busybox:latest' });
  const c = collector();
  const close = openEventFeed(bus, { sinceNano: t0, filters: {} }, c.sink);
  bus.publish('container', 'start', 'x');
  close();
  assert.deepEqual(
    c.events.map((e) => e.action),
    ['create', 'tag', 'start'],
  );
});

test('until in the past: history in range only, then end, no listener', () => {
  const bus = new EventBus();
  bus.publish('container', 'create', 'x');
  const until = nowNs();
  const c = collector();
  openEventFeed(bus, { sinceNano: 0n, untilNano: until, filters: {} }, c.sink);
  assert.equal(c.events.length, 1);
  assert.equal(c.ended(), 1);
  assert.equal(bus.listenerCount(), 0);
  // A since after every stored event replays nothing.
  const d = collector();
  openEventFeed(bus, { sinceNano: until + 1n, untilNano: until + 2n, filters: {} }, d.sink);
  assert.equal(d.events.length, 0);
});

test('until in the future: follows live, then ends on time and unsubscribes', async () => {
  const bus = new EventBus();
  const c = collector();
  openEventFeed(bus, { untilNano: nowNs() + 150_000_000n, filters: {} }, c.sink);
  bus.publish('container', 'start', 'live');
  assert.equal(bus.listenerCount(), 1);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(c.ended(), 1);
  assert.equal(bus.listenerCount(), 0);
  assert.deepEqual(
    c.events.map((e) => e.actor.id),
    ['live'],
  );
});

test('close before until clears the timer: end is never called', async () => {
  const bus = new EventBus();
  const c = collector();
  const close = openEventFeed(bus, { untilNano: nowNs() + 50_000_000n, filters: {} }, c.sink);
  close();
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(c.ended(), 0);
  assert.equal(bus.listenerCount(), 0);
});
