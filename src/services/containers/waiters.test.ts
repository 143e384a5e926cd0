import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import type { WaitResult } from './types.js';
import { Waiters } from './waiters.js';

/** Whether `p` has settled, checked without waiting for it. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await tick();
  return done;
}

/** The number of container ids the registry holds (its private map). */
const size = (w: Waiters): number => (w as unknown as { byId: Map<string, unknown> }).byId.size;

test('exited wakes not-running and next-exit waiters, but not removed', async () => {
  const w = new Waiters();
  const notRunning = w.add('c1', 'not-running');
  const nextExit = w.add('c1', 'next-exit');
  const removed = w.add('c1', 'removed');
  const exit: WaitResult = { statusCode: 3 };
  w.exited('c1', exit);
  assert.deepEqual(await notRunning.result, exit);
  assert.deepEqual(await nextExit.result, exit);
  assert.equal(await settled(removed.result), false);
  w.removed('c1', { statusCode: 3 });
  assert.deepEqual(await removed.result, { statusCode: 3 });
  assert.equal(size(w), 0);
});

test('removed wakes every waiter on the container, with its result', async () => {
  const w = new Waiters();
  const all = (['not-running', 'next-exit', 'removed'] as const).map((c) => w.add('c1', c));
  const gone: WaitResult = { statusCode: 137, error: 'killed' };
  w.removed('c1', gone);
  for (const x of all) assert.deepEqual(await x.result, gone);
  assert.equal(size(w), 0);
});

test('events for one container do not wake waiters on another', async () => {
  const w = new Waiters();
  const a = w.add('a', 'not-running');
  const b = w.add('b', 'not-running');
  w.exited('a', { statusCode: 0 });
  assert.equal(await settled(a.result), true);
  assert.equal(await settled(b.result), false);
  w.removed('a', { statusCode: 0 });
  assert.equal(await settled(b.result), false);
  b.cancel();
});

test('a waiter wakes once; later events are for later waiters', async () => {
  const w = new Waiters();
  const first = w.add('c', 'next-exit');
  w.exited('c', { statusCode: 1 });
  const second = w.add('c', 'next-exit');
  w.exited('c', { statusCode: 2 });
  assert.deepEqual(await first.result, { statusCode: 1 });
  assert.deepEqual(await second.result, { statusCode: 2 });
});

test('events with nobody waiting are harmless and leave nothing behind', () => {
  const w = new Waiters();
  w.exited('nobody', { statusCode: 0 });
  w.removed('nobody', { statusCode: 0 });
  assert.equal(size(w), 0);
});

test('cancel drops the waiter: it never resolves and nothing is retained', async () => {
  const w = new Waiters();
  const gone = w.add('c', 'not-running');
  const kept = w.add('c', 'not-running');
  gone.cancel();
  assert.equal(size(w), 1);
  w.exited('c', { statusCode: 0 });
  assert.equal(await settled(gone.result), false);
  assert.equal(await settled(kept.result), true);
  assert.equal(size(w), 0);
  const lone = w.add('d', 'removed');
  lone.cancel();
  lone.cancel(); // twice is harmless
  assert.equal(size(w), 0);
});

test('cancelling after the waiter woke does not disturb newer waiters', async () => {
  const w = new Waiters();
  const old = w.add('c', 'not-running');
  w.exited('c', { statusCode: 0 });
  await old.result;
  const fresh = w.add('c', 'not-running');
  old.cancel();
  assert.equal(size(w), 1, 'the stale cancel must not drop the new set');
  w.exited('c', { statusCode: 5 });
  assert.deepEqual(await fresh.result, { statusCode: 5 });
  assert.equal(size(w), 0);
});

test('many waiters that come and go leave the registry empty', () => {
  const w = new Waiters();
  for (let i = 0; i < 1000; i++) w.add(`c${i % 10}`, 'next-exit').cancel();
  assert.equal(size(w), 0);
});
