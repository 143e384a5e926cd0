import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BuildCacheRecord } from './cache-usage.js';
import { keepLimit, selectForPrune, type BuildPruneOptions } from './prune-select.js';

/** A record `id` on `parent`, `size` bytes, last used `min` minutes after 12:00. */
function rec(id: string, parent: string | null, size: number, min: number, extra = {}) {
  const at = new Date(Date.parse('2026-01-01T12:00:00Z') + min * 60_000).toISOString();
  const r: BuildCacheRecord = {
    id,
    parents: parent === null ? [] : [parent],
    description: `RUN ${id}`,
    inUse: false,
    shared: false,
    size,
    createdAt: at,
    lastUsedAt: at,
    usageCount: 1,
  };
  return { ...r, ...extra };
}
const opts = (o: Partial<BuildPruneOptions> = {}): BuildPruneOptions => ({
  all: false,
  reservedSpace: 0,
  maxUsedSpace: 0,
  minFreeSpace: 0,
  ...o,
});
const sel = (records: BuildCacheRecord[], o: Partial<BuildPruneOptions> = {}, free = 0) =>
  selectForPrune(records, opts(o), free);

// A chain a ← b ← c (oldest to newest), and d on its own, shared (a named image keeps it).
const chain = [rec('aaa1', null, 100, 0), rec('bbb2', 'aaa1', 10, 1), rec('ccc3', 'bbb2', 1, 2)];
const shared = rec('ddd4', null, 50, 3, { shared: true });
const all = [...chain, shared];

test('without filters: every unshared record, children before parents', () => {
  assert.deepEqual(sel(all), ['ccc3', 'bbb2', 'aaa1']);
  assert.deepEqual(sel(all, { all: true }), ['ccc3', 'ddd4', 'bbb2', 'aaa1']);
});

test('a record in use is never chosen, and neither are its ancestors', () => {
  const used = [...chain.slice(0, 2), rec('ccc3', 'bbb2', 1, 2, { inUse: true, shared: true })];
  assert.deepEqual(sel(used, { all: true }), []);
  assert.deepEqual(sel(used, { all: true, inUse: true }), []);
});

test('until keeps what was used after it (the last use, not the creation)', () => {
  const cut = Date.parse('2026-01-01T12:01:30Z');
  assert.deepEqual(sel(all, { untilMs: cut }), [], 'c, used after the cut, holds a and b');
  const hitLater = [
    rec('aaa1', null, 100, 0),
    rec('eee5', null, 5, 1, { lastUsedAt: '2026-01-01T13:00:00.000Z' }),
  ];
  assert.deepEqual(sel(hitLater, { untilMs: cut }), ['aaa1']);
});

test('id matches a substring (with or without sha256:), parent and description exactly', () => {
  assert.deepEqual(sel(all, { id: 'cc3' }), ['ccc3']);
  assert.deepEqual(sel(all, { id: 'sha256:ccc3' }), ['ccc3']);
  assert.deepEqual(sel(all, { id: 'bbb2' }), [], 'c, built on b, stays: b cannot go');
  assert.deepEqual(sel(all, { parent: 'bbb2' }), ['ccc3']);
  assert.deepEqual(sel(all, { description: 'RUN ccc3' }), ['ccc3']);
  assert.deepEqual(sel(all, { description: 'RUN ccc' }), [], 'not a substring match');
});

test('type: every record is regular; shared, private and inuse flags', () => {
  assert.deepEqual(sel(all, { type: 'regular' }), ['ccc3', 'bbb2', 'aaa1']);
  assert.deepEqual(sel(all, { type: 'exec.cachemount' }), []);
  assert.deepEqual(sel(all, { all: true, shared: true }), ['ddd4']);
  assert.deepEqual(sel(all, { all: true, private: true }), ['ccc3', 'bbb2', 'aaa1']);
  assert.deepEqual(sel(all, { shared: true }), [], 'shared records need all');
  assert.deepEqual(sel(all, { inUse: false }), ['ccc3', 'bbb2', 'aaa1']);
});

test('a space limit drops the least recently used leaves until the total fits', () => {
  const flat = [rec('old1', null, 100, 0), rec('mid2', null, 100, 1), rec('new3', null, 100, 2)];
  assert.deepEqual(sel(flat, { reservedSpace: 150 }), ['old1', 'mid2']);
  assert.deepEqual(sel(flat, { reservedSpace: 300 }), []);
  assert.deepEqual(sel(flat, { maxUsedSpace: 250 }), ['old1']);
  // Only leaves can go: c and b (newer, small) go before a, the oldest, can.
  assert.deepEqual(sel(chain, { reservedSpace: 105 }), ['ccc3', 'bbb2']);
  assert.deepEqual(sel(chain, { reservedSpace: 95 }), ['ccc3', 'bbb2', 'aaa1']);
  assert.deepEqual(sel(all, { all: true, reservedSpace: 1000 }), [], 'shared records free nothing');
});

test('keepLimit follows BuildKit: max-used, less what min-free needs, at least reserved', () => {
  const o = (x: Partial<BuildPruneOptions>) => opts(x);
  assert.equal(keepLimit(o({}), 500, 0), null);
  assert.equal(keepLimit(o({ reservedSpace: 100 }), 500, 0), 100);
  assert.equal(keepLimit(o({ maxUsedSpace: 300 }), 500, 0), 300);
  assert.equal(keepLimit(o({ minFreeSpace: 1000 }), 500, 800), 300);
  assert.equal(keepLimit(o({ minFreeSpace: 1000 }), 500, 2000), 500);
  assert.equal(keepLimit(o({ maxUsedSpace: 100, reservedSpace: 200 }), 500, 0), 200);
});
