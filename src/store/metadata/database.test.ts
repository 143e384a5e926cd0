import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openMetadataDb } from './database.js';
import { migrations } from './migrations/index.js';
import { ContainersRepository, createdRunState } from './containers-repository.js';
import { ImagesRepository } from './images-repository.js';

const withDb = (fn: (path: string) => void): void => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-db-'));
  try {
    fn(join(dir, 'berth.db'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

test('migrations are numbered 1..n in order', () => {
  migrations.forEach((m, i) => assert.equal(m.version, i + 1));
});

test('every migration applies on an empty database and sets user_version', () => {
  withDb((path) => {
    const db = openMetadataDb(path);
    assert.equal(db.pragma('user_version', { simple: true }), migrations.at(-1)?.version);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all();
    assert.deepEqual(
      tables.map((t) => (t as { name: string }).name),
      [
        'build_cache',
        'containers',
        'image_layers',
        'image_refs',
        'images',
        'meta',
        'network_endpoints',
        'networks',
        'sandboxes',
        'volume_refs',
        'volumes',
      ],
    );
    db.close();
  });
});

test('reopening is a no-op and a newer schema is refused', () => {
  withDb((path) => {
    openMetadataDb(path).close();
    const db = openMetadataDb(path);
    db.pragma('user_version = 999');
    assert.throws(() => migrate(db, migrations), /newer than this berthd supports/);
    db.close();
  });
});

const image = {
  id: `sha256:${'a'.repeat(64)}`,
  manifestDigest: `sha256:${'b'.repeat(64)}`,
  created: '2026-01-01T00:00:00Z',
  size: 10,
  storedAt: '2026-01-01T00:00:00Z',
  layers: [
    {
      digest: `sha256:${'c'.repeat(64)}`,
      diffId: `sha256:${'d'.repeat(64)}`,
      chainId: `sha256:${'d'.repeat(64)}`,
      size: 5,
    },
  ],
};
const state = createdRunState();

/** Stores `image` in a database at an old schema version (the repository prepares newer SQL). */
function addOldImage(db: ReturnType<typeof openMetadataDb>): void {
  db.prepare(
    'INSERT INTO images (id, manifest_digest, created, size, stored_at) VALUES (?, ?, ?, ?, ?)',
  ).run(image.id, image.manifestDigest, image.created, image.size, image.storedAt);
}

test('a container name is claimed atomically with the row: the second insert is a Conflict', () => {
  withDb((path) => {
    const db = openMetadataDb(path);
    new ImagesRepository(db).add(image, ['docker.io/library/busybox:latest']);
    const repo = new ContainersRepository<{ x: number }>(db);
    const base = {
      name: 'web',
      imageId: image.id,
      imageRef: 'busybox',
      createdAt: 'now',
      config: { x: 1 },
      state,
    };
    repo.insert({ id: '1'.repeat(64), ...base });
    assert.throws(
      () => repo.insert({ id: '2'.repeat(64), ...base }),
      (e: Error & { kind?: string }) => {
        assert.equal(e.kind, 'Conflict');
        assert.match(
          e.message,
          /The container name "\/web" is already in use by container "1{64}"/,
        );
        return true;
      },
    );
    assert.equal(repo.all().length, 1);
    assert.deepEqual(repo.byName('web')?.config, { x: 1 });
    assert.equal(repo.byIdPrefix('111').length, 1);
    db.close();
  });
});

test('an image used by a container cannot be deleted (foreign key)', () => {
  withDb((path) => {
    const db = openMetadataDb(path);
    const images = new ImagesRepository(db);
    images.add(image, ['docker.io/library/busybox:latest']);
    const repo = new ContainersRepository(db);
    repo.insert({
      id: '3'.repeat(64),
      name: 'a1',
      imageId: image.id,
      imageRef: 'busybox',
      createdAt: 'now',
      config: {},
      state,
    });
    assert.throws(() => images.remove(image.id), /FOREIGN KEY/);
    assert.equal(images.byRef('docker.io/library/busybox:latest')?.layers.length, 1);
    db.close();
  });
});

test('migration 2 adds manually_stopped to existing rows, defaulting to false', () => {
  withDb((path) => {
    const v1 = openMetadataDb(path, migrations.slice(0, 1));
    addOldImage(v1);
    v1.prepare(
      `INSERT INTO containers (id, name, image_id, image_ref, created_at, config, status)
       VALUES (?, 'old', ?, 'busybox', 'now', '{}', 'exited')`,
    ).run('4'.repeat(64), image.id);
    v1.close();
    const db = openMetadataDb(path);
    const c = new ContainersRepository(db).byName('old');
    assert.equal(c?.state.manuallyStopped, false);
    assert.equal(c?.state.status, 'exited');
    db.close();
  });
});

test('migration 3 adds images.last_tag_time, NULL for existing images until tagged', () => {
  withDb((path) => {
    const v2 = openMetadataDb(path, migrations.slice(0, 2));
    addOldImage(v2);
    v2.close();
    const db = openMetadataDb(path);
    const images = new ImagesRepository(db);
    assert.equal(images.lastTagTime(image.id), null);
    images.setLastTagTime(image.id, '2024-01-02T03:04:05.000000006Z');
    assert.equal(images.lastTagTime(image.id), '2024-01-02T03:04:05.000000006Z');
    db.close();
  });
});
