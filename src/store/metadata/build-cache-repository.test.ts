import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMetadataDb } from './database.js';
import { BuildCacheRepository } from './build-cache-repository.js';
import { ImagesRepository } from './images-repository.js';

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
    assert.equal(cache.clear(), 1);
    assert.equal(cache.get('scratch', 'COPY y'), undefined);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
