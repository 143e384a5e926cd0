import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMetadataDb } from './database.js';
import { ContainersRepository, createdRunState } from './containers-repository.js';
import { ImagesRepository } from './images-repository.js';
import { NetworksRepository } from './networks-repository.js';

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
      size: 10,
    },
  ],
};

/** A database (migration 4 applied) with one image and containers `1…`, `2…`. */
function withDb(
  fn: (
    repo: NetworksRepository<{ s: string }, { a: string[] }>,
    drop: (id: string) => void,
  ) => void,
): void {
  const dir = mkdtempSync(join(tmpdir(), 'berth-net-'));
  const db = openMetadataDb(join(dir, 'berth.db'));
  try {
    new ImagesRepository(db).add(image, []);
    const containers = new ContainersRepository<object>(db);
    for (const d of ['1', '2'])
      containers.insert({
        id: d.repeat(64),
        name: `c${d}`,
        imageId: image.id,
        imageRef: 'busybox',
        createdAt: 'now',
        config: {},
        state: createdRunState(),
      });
    fn(new NetworksRepository(db), (id) => containers.remove(id));
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const net = (id: string, name: string) => ({
  id,
  name,
  driver: 'bridge',
  createdAt: 'now',
  config: { s: name },
});

test('network names are unique (Conflict) and found by id, name and prefix', () => {
  withDb((repo) => {
    repo.insert(net('ab12', 'front'));
    assert.throws(
      () => repo.insert(net('cd34', 'front')),
      /network with name front already exists/,
    );
    assert.equal(repo.byName('front')?.id, 'ab12');
    assert.equal(repo.byIdPrefix('ab').length, 1);
    assert.deepEqual(repo.byId('ab12')?.config, { s: 'front' });
  });
});

test('an address is leased at most once per network; released leases are reusable', () => {
  withDb((repo) => {
    repo.insert(net('n1', 'front'));
    repo.addEndpoint('n1', '1'.repeat(64), { a: ['x'] });
    repo.addEndpoint('n1', '2'.repeat(64), { a: [] });
    assert.throws(() => repo.addEndpoint('n1', '1'.repeat(64), { a: [] }), /already exists/);
    assert.equal(repo.lease('n1', '1'.repeat(64), '10.0.0.2', 'e1'), true);
    assert.equal(repo.lease('n1', '2'.repeat(64), '10.0.0.2', 'e2'), false);
    assert.deepEqual([...repo.leases('n1')], ['10.0.0.2']);
    repo.release('n1', '1'.repeat(64));
    assert.equal(repo.lease('n1', '2'.repeat(64), '10.0.0.2', 'e2'), true);
    assert.deepEqual(repo.endpointsOf('1'.repeat(64))[0]?.config, { a: ['x'] });
  });
});

test('removing a container or a network drops its endpoints and sandbox (cascade)', () => {
  withDb((repo, drop) => {
    repo.insert(net('n1', 'front'));
    repo.insert(net('n2', 'back'));
    const c1 = '1'.repeat(64);
    repo.addEndpoint('n1', c1, { a: [] });
    repo.addEndpoint('n2', c1, { a: [] });
    assert.deepEqual(
      repo.endpointsOf(c1).map((e) => [e.networkId, e.seq]),
      [
        ['n1', 0],
        ['n2', 1],
      ],
    );
    repo.saveSandbox({ containerId: c1, path: '/run/x', ports: '{}' });
    repo.remove('n2');
    assert.deepEqual(
      repo.endpointsOf(c1).map((e) => e.networkId),
      ['n1'],
    );
    drop(c1);
    assert.equal(repo.endpointsIn('n1').length, 0);
    assert.equal(repo.sandbox(c1), undefined);
  });
});
