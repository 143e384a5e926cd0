import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMetadataDb } from './database.js';
import { BuildCacheRepository } from './build-cache-repository.js';
import { ImagesRepository } from './images-repository.js';
import { migrations } from './migrations/index.js';

const img = (c: string) => ({
  id: `sha256:${c.repeat(64)}`,
  manifestDigest: null,
  created: null,
  size: 0,
  storedAt: 'now',
  layers: [],
});

test('migration 6: parents, intermediates and the build cache go with their images', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-db-'));
  try {
    const db = openMetadataDb(join(dir, 'berth.db'));
    const images = new ImagesRepository(db);
    const cache = new BuildCacheRepository(db);
    const [base, step, top] = [img('a'), img('b'), img('c')];
    for (const i of [base, step, top]) images.add(i, []);
    images.setParent(step.id, base.id);
    images.setParent(top.id, step.id);
    images.setParent(top.id, base.id); // first writer wins: ids are content digests
    assert.equal(images.parentOf(top.id), step.id);
    assert.equal(images.parentOf(base.id), null);
    assert.equal(images.childCount(base.id), 1);
    assert.deepEqual([...images.parents()].sort(), [base.id, step.id]);

    cache.put(base.id, 'RUN x', step.id, 'now');
    cache.put('scratch', 'COPY y', top.id, 'now');
    assert.equal(cache.get(base.id, 'RUN x'), step.id);
    assert.equal(cache.get(base.id, 'RUN z'), undefined);
    images.remove(step.id);
    assert.equal(cache.get(base.id, 'RUN x'), undefined, 'entry cascades with its result');
    cache.forget([top.id]);
    assert.equal(cache.get('scratch', 'COPY y'), undefined);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('migration 7: entries record their hits; old entries count one use and no hit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-db-'));
  try {
    const path = join(dir, 'berth.db');
    const v6 = openMetadataDb(path, migrations.slice(0, 6));
    new ImagesRepository(v6).add(img('a'), []);
    new ImagesRepository(v6).add(img('b'), []);
    v6.prepare('INSERT INTO build_cache VALUES (?, ?, ?, ?)').run(
      'scratch',
      'RUN old',
      img('a').id,
      '2026-01-01T00:00:00.000Z',
    );
    v6.close();
    const db = openMetadataDb(path);
    const cache = new BuildCacheRepository(db);
    assert.deepEqual(cache.list(), [
      {
        parentId: 'scratch',
        imageId: img('a').id,
        createdAt: '2026-01-01T00:00:00.000Z',
        lastUsedAt: null,
        usageCount: 1,
      },
    ]);
    cache.recordHit('scratch', 'RUN old', '2026-01-02T00:00:00.000Z');
    cache.recordHit('scratch', 'RUN old', '2026-01-03T00:00:00.000Z');
    cache.recordHit('scratch', 'RUN none', '2026-01-03T00:00:00.000Z'); // no such entry: no-op
    assert.deepEqual(
      cache.list().map((e) => [e.lastUsedAt, e.usageCount]),
      [['2026-01-03T00:00:00.000Z', 3]],
    );
    cache.put('scratch', 'RUN old', img('b').id, '2026-01-04T00:00:00.000Z');
    assert.deepEqual(
      cache.list().map((e) => [e.imageId, e.lastUsedAt, e.usageCount]),
      [[img('b').id, null, 1]],
      'a new result for the step starts its count again',
    );
    cache.put(img('b').id, 'ENV x', img('a').id, '2026-01-05T00:00:00.000Z');
    cache.forget([img('b').id]);
    assert.deepEqual(
      cache.list().map((e) => e.imageId),
      [img('a').id],
    );
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
