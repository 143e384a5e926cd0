import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchCacheFrom, type CacheImage } from './cache-from.js';

const d = (n: number): string => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const b = (n: number): string => `sha256:${String(n).repeat(64).slice(0, 64).replace(/./, 'b')}`;

/** A base image of one layer, and a build on it: ENV (empty), RUN (layer), COPY (layer). */
const base: CacheImage = {
  id: 'sha256:base',
  diffIds: [d(1)],
  history: [{ created_by: 'ADD rootfs', created: '2020-01-01T00:00:00Z' }],
  layerDigests: [b(1)],
};
const built: CacheImage = {
  id: 'sha256:built',
  diffIds: [d(1), d(2), d(3)],
  history: [
    { created_by: 'ADD rootfs', created: '2020-01-01T00:00:00Z' },
    { created_by: 'ENV A=1', empty_layer: true, created: '2024-01-01T00:00:00Z' },
    { created_by: 'RUN x', created: '2024-01-01T00:00:01Z' },
    { created_by: 'COPY y', created: '2024-01-01T00:00:02Z' },
  ],
  layerDigests: [b(1), b(2), b(3)],
};

/** The image a hit would have committed after `n` steps (fresh creation times). */
function after(n: number): CacheImage {
  const history = built.history.slice(0, 1 + n).map((h) => ({ ...h, created: 'now' }));
  const layers = history.filter((h) => !h.empty_layer).length;
  return {
    id: `sha256:local${n}`,
    diffIds: built.diffIds.slice(0, layers),
    history,
    layerDigests: built.layerDigests.slice(0, layers),
  };
}

test('an empty-layer step hits with no layer; a layer step reuses the next layer', () => {
  assert.deepEqual(matchCacheFrom(base, 'ENV A=1', [built]), { source: built, layer: null });
  assert.deepEqual(matchCacheFrom(after(1), 'RUN x', [built]), {
    source: built,
    layer: { digest: b(2), diffId: d(2) },
  });
  assert.deepEqual(matchCacheFrom(after(2), 'COPY y', [built])?.layer, {
    digest: b(3),
    diffId: d(3),
  });
});

test('a different step, a different parent or a source that ends there misses', () => {
  assert.equal(matchCacheFrom(base, 'ENV A=2', [built]), undefined);
  assert.equal(matchCacheFrom(after(1), 'COPY y', [built]), undefined, 'out of order');
  assert.equal(matchCacheFrom(after(3), 'RUN z', [built]), undefined, 'no entry after the last');
  const otherBase: CacheImage = { ...base, diffIds: [d(9)] };
  assert.equal(matchCacheFrom(otherBase, 'ENV A=1', [built]), undefined, 'other layers');
  const otherHistory: CacheImage = { ...base, history: [{ created_by: 'ADD other' }] };
  assert.equal(matchCacheFrom(otherHistory, 'ENV A=1', [built]), undefined, 'other history');
  assert.equal(matchCacheFrom(null, 'ENV A=1', [built]), undefined, 'scratch is no prefix');
});

test('a layer step whose layer the source lacks misses; the first matching source wins', () => {
  const truncated: CacheImage = { ...built, diffIds: [d(1), d(2)], layerDigests: [b(1), b(2)] };
  assert.equal(matchCacheFrom(after(2), 'COPY y', [truncated]), undefined);
  const other: CacheImage = { ...built, id: 'sha256:other' };
  assert.equal(matchCacheFrom(after(1), 'RUN x', [truncated, other])?.source.id, 'sha256:built');
  assert.equal(matchCacheFrom(after(2), 'COPY y', [truncated, other])?.source.id, 'sha256:other');
});

test('a build from scratch matches a source built from scratch', () => {
  const fromScratch: CacheImage = {
    id: 'sha256:s',
    diffIds: [d(5)],
    history: [{ created_by: 'COPY f' }],
    layerDigests: [b(5)],
  };
  assert.deepEqual(matchCacheFrom(null, 'COPY f', [fromScratch])?.layer, {
    digest: b(5),
    diffId: d(5),
  });
});
