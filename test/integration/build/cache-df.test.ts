import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertMatchesSpec } from '../../compat/spec-check.js';
import { raw } from '../../helpers/raw-http.js';
import { ok } from './build-helpers.js';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';

// The classic builder's cache in GET /system/df (both shapes), and what POST /build/prune frees.
let d: TestDaemon;
let dir: string;
before(async () => {
  d = await startTestDaemon();
  dir = await mkdtemp('/tmp/bdf-');
});
after(async () => {
  await d.cleanup();
  await rm(dir, { recursive: true, force: true });
});

interface CacheRecord {
  ID: string;
  Parents: string[];
  Type: string;
  Description: string;
  InUse: boolean;
  Shared: boolean;
  Size: number;
  CreatedAt: string;
  LastUsedAt: string;
  UsageCount: number;
}
interface Usage {
  ActiveCount: number;
  TotalCount: number;
  TotalSize: number;
  Reclaimable: number;
  Items?: CacheRecord[];
}

const legacy = async (): Promise<CacheRecord[]> => {
  const r = await raw(d.socket, 'GET', '/v1.50/system/df?type=build-cache');
  assert.equal(r.status, 200, r.text);
  return (r.json as { BuildCache: CacheRecord[] }).BuildCache;
};
const current = async (): Promise<Usage> => {
  const r = await raw(d.socket, 'GET', '/v1.56/system/df?type=build-cache&verbose=1');
  assertMatchesSpec('GET', '/system/df', 200, r.json);
  return (r.json as { BuildCacheUsage: Usage }).BuildCacheUsage;
};

/** Builds a RUN that writes `bytes` random bytes, an ENV and a CMD, tagged `tag`. */
async function buildThree(tag: string, bytes: number): Promise<void> {
  await writeFile(
    join(dir, 'Dockerfile'),
    [
      'FROM busybox',
      `RUN head -c ${bytes} /dev/urandom > /r`,
      'ENV X=1',
      'CMD ["ls", "-l", "/r"]',
    ].join('\n'),
  );
  ok(
    await docker(d, ['build', '-t', tag, dir], {
      timeoutMs: 120_000,
      env: { DOCKER_BUILDKIT: '0' },
    }),
  );
}

test('after a build df lists its steps, shared while the tagged image keeps them', async () => {
  assert.deepEqual(await legacy(), []);
  await buildThree('bdf:a', 200_000);
  const items = await legacy();
  assert.equal(items.length, 3, JSON.stringify(items));
  const run = items.find((i) => i.Description.includes('head -c 200000'));
  assert.ok(run, JSON.stringify(items));
  assert.ok(run.Size >= 200_000, `RUN layer size ${run.Size}`);
  assert.deepEqual(run.Parents, [], 'built on busybox, which is no cache record');
  const env = items.find((i) => i.Description.includes('ENV X=1'));
  assert.deepEqual(env?.Parents, [run.ID]);
  assert.equal(env?.Size, 0, 'a metadata step adds no layer');
  for (const i of items) {
    assert.equal(i.Type, 'regular');
    assert.equal(i.Shared, true, 'bdf:a keeps every step');
    assert.equal(i.InUse, false);
    assert.ok(!Number.isNaN(Date.parse(i.CreatedAt)) && i.LastUsedAt === i.CreatedAt);
  }
  const u = await current();
  assert.deepEqual([u.TotalCount, u.ActiveCount, u.TotalSize, u.Reclaimable], [3, 0, 0, 0]);
  assert.equal(u.Items?.length, 3);
  assert.match(ok(await docker(d, ['system', 'df'])), /^Build Cache\s+3\s+0\s+0B\s+0B/m);
});

test('steps only the cache keeps count as reclaimable; docker builder prune frees them', async () => {
  await buildThree('bdf:b', 300_000);
  ok(await docker(d, ['rmi', '--no-prune', 'bdf:b'])); // its steps stay, only the cache keeps them
  const u = await current();
  const own = u.Items?.filter((i) => !i.Shared) ?? [];
  assert.equal(own.length, 2, JSON.stringify(u.Items));
  assert.ok(u.TotalSize >= 300_000 && u.Reclaimable === u.TotalSize, JSON.stringify(u));
  assert.match(
    ok(await docker(d, ['system', 'df'])),
    /^Build Cache\s+5\s+0\s+3[\d.]+kB\s+3[\d.]+kB/m,
  );
  const pruned = ok(await docker(d, ['builder', 'prune', '-f']));
  assert.match(pruned, /Total reclaimed space:\s+3[\d.]+kB/, pruned);
  assert.match(pruned, /Deleted build cache objects:/, pruned);
  const left = await legacy();
  assert.equal(
    left.length,
    3,
    'without --all the records bdf:a keeps (shared) stay, as in BuildKit',
  );
  assert.ok(left.every((i) => i.Shared));
  assert.match(ok(await docker(d, ['system', 'df'])), /^Build Cache\s+3\s+0\s+0B\s+0B/m);
  assert.equal(ok(await docker(d, ['run', '--rm', '--network', 'none', 'bdf:a'])).length > 0, true);
});

test('POST /build/prune reports the ids it removed and the bytes it freed', async () => {
  await buildThree('bdf:c', 150_000);
  ok(await docker(d, ['rmi', '--no-prune', 'bdf:c']));
  const r = await raw(d.socket, 'POST', '/v1.56/build/prune');
  assert.equal(r.status, 200, r.text);
  assertMatchesSpec('POST', '/build/prune', 200, r.json);
  const body = r.json as { CachesDeleted: string[]; SpaceReclaimed: number };
  assert.equal(body.CachesDeleted.length, 2, r.text);
  assert.ok(body.SpaceReclaimed >= 150_000 && body.SpaceReclaimed < 300_000, r.text);
  const again = (await raw(d.socket, 'POST', '/v1.56/build/prune')).json;
  assert.deepEqual(again, { CachesDeleted: [], SpaceReclaimed: 0 });
});
