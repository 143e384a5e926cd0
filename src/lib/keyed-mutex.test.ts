import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { KeyedMutex } from './keyed-mutex.js';

/** A promise with its resolve and reject exposed, to drive tasks step by step. */
function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
} {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The number of keys the mutex holds (its private map), to check nothing is retained. */
const size = (m: KeyedMutex): number =>
  (m as unknown as { tails: Map<string, unknown> }).tails.size;

test('tasks on one key run one at a time, in call order', async () => {
  const m = new KeyedMutex();
  const log: string[] = [];
  let active = 0;
  const task = (name: string) => async (): Promise<string> => {
    active++;
    assert.equal(active, 1, `${name} overlapped another task`);
    log.push(`start ${name}`);
    await tick();
    await tick();
    log.push(`end ${name}`);
    active--;
    return name;
  };
  const results = await Promise.all(['a', 'b', 'c'].map((n) => m.run('k', task(n))));
  assert.deepEqual(results, ['a', 'b', 'c']);
  assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
});

test('a later task does not start until the earlier one settles', async () => {
  const m = new KeyedMutex();
  const gate = deferred();
  let secondStarted = false;
  const first = m.run('k', () => gate.promise);
  const second = m.run('k', async () => {
    secondStarted = true;
  });
  await tick();
  await tick();
  assert.equal(secondStarted, false);
  gate.resolve();
  await Promise.all([first, second]);
  assert.equal(secondStarted, true);
});

test('different keys do not wait for each other', async () => {
  const m = new KeyedMutex();
  const gate = deferred();
  const blocked = m.run('a', () => gate.promise);
  const other = await m.run('b', async () => 'b done');
  assert.equal(other, 'b done');
  gate.resolve();
  await blocked;
});

test('a rejected task rejects its caller and does not block the next', async () => {
  const m = new KeyedMutex();
  const failing = m.run('k', async () => {
    await tick();
    throw new Error('boom');
  });
  const next = m.run('k', async () => 'next ran');
  await assert.rejects(failing, /boom/);
  assert.equal(await next, 'next ran');
  // A synchronous throw inside fn behaves the same.
  const syncThrow = m.run('k', () => {
    throw new Error('sync');
  });
  await assert.rejects(syncThrow, /sync/);
  assert.equal(await m.run('k', async () => 1), 1);
});

test('settled keys are forgotten: the map does not grow', async () => {
  const m = new KeyedMutex();
  await Promise.all(Array.from({ length: 100 }, (_, i) => m.run(`key-${i}`, async () => i)));
  assert.equal(size(m), 0);
  const gate = deferred();
  const held = m.run('x', () => gate.promise);
  const queued = m.run('x', async () => undefined);
  assert.equal(size(m), 1, 'one entry per key however many are queued');
  gate.resolve();
  await Promise.all([held, queued]);
  await m.run('y', async () => Promise.reject(new Error('no'))).catch(() => undefined);
  assert.equal(size(m), 0);
});
