import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMetadataDb } from './database.js';
import { migrations } from './migrations/index.js';
import { ContainersRepository, createdRunState } from './containers-repository.js';
import { ImagesRepository } from './images-repository.js';
import { VolumesRepository } from './volumes-repository.js';

const volumesVersion = migrations.findIndex((m) => m.name === 'volumes') + 1;
const image = {
  id: `sha256:${'a'.repeat(64)}`,
  manifestDigest: null,
  created: null,
  size: 0,
  storedAt: 'now',
  layers: [],
};
const vol = (name: string) => ({
  name,
  driver: 'local',
  createdAt: '2026-01-01T00:00:00Z',
  labels: { a: 'b' },
  options: {},
});

function withDb(fn: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'berth-vdb-'));
  try {
    fn(join(dir, 'berth.db'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the volumes migration applies over a database with containers', () => {
  withDb((path) => {
    const before = openMetadataDb(path, migrations.slice(0, volumesVersion - 1));
    // Raw SQL: the repositories of today may use columns later migrations add.
    before
      .prepare(
        `INSERT INTO images (id, manifest_digest, created, size, stored_at) VALUES (?, NULL, NULL, 0, 'now')`,
      )
      .run(image.id);
    before
      .prepare(
        `INSERT INTO containers (id, name, image_id, image_ref, created_at, config, status)
         VALUES (?, 'old', ?, 'busybox', 'now', '{}', 'exited')`,
      )
      .run('4'.repeat(64), image.id);
    before.close();
    const db = openMetadataDb(path);
    const repo = new VolumesRepository(db);
    assert.equal(repo.insert(vol('v1')), true);
    repo.addRefs('4'.repeat(64), ['v1']);
    assert.deepEqual(repo.users('v1'), ['4'.repeat(64)]);
    db.close();
  });
});

test('references: insert once, in use blocks removal, cascade with the container', () => {
  withDb((path) => {
    const db = openMetadataDb(path);
    new ImagesRepository(db).add(image, []);
    const containers = new ContainersRepository(db);
    const id = '5'.repeat(64);
    containers.insert({
      id,
      name: 'c',
      imageId: image.id,
      imageRef: 'busybox',
      createdAt: 'now',
      config: {},
      state: createdRunState(),
    });
    const repo = new VolumesRepository(db);
    assert.equal(repo.insert(vol('v1')), true);
    assert.equal(repo.insert({ ...vol('v1'), driver: 'other' }), false);
    assert.equal(repo.byName('v1')?.driver, 'local');
    assert.deepEqual(repo.byName('v1')?.labels, { a: 'b' });
    repo.addRefs(id, ['v1', 'v1']);
    assert.deepEqual([...repo.refCounts()], [['v1', 1]]);
    assert.deepEqual(repo.liveUsers('v1'), []);
    assert.deepEqual(repo.removeUnused('v1'), { removed: false, users: [id] });
    assert.throws(() => repo.addRefs('6'.repeat(64), ['v1']), /FOREIGN KEY/);
    assert.throws(() => repo.addRefs(id, ['ghost']), /FOREIGN KEY/);
    containers.remove(id);
    assert.deepEqual(repo.users('v1'), []);
    assert.deepEqual(repo.removeUnused('v1'), { removed: true, users: [] });
    assert.equal(repo.all().length, 0);
    db.close();
  });
});
