import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertMatchesSpec } from '../../compat/spec-check.js';
import { raw } from '../../helpers/raw-http.js';
import { ok } from './build-helpers.js';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';

// `docker builder prune` with its filters and --keep-storage, and the use the cache records.
let d: TestDaemon;
let dir: string;
before(async () => {
  d = await startTestDaemon();
  dir = await mkdtemp('/tmp/bcp-');
});
after(async () => {
  await d.cleanup();
  await rm(dir, { recursive: true, force: true });
});

interface CacheRecord {
  ID: string;
  Parents: string[];
  Description: string;
  Shared: boolean;
  Size: number;
  CreatedAt: string;
  LastUsedAt: string;
  UsageCount: number;
}

/** The build cache records, from GET /system/df (checked against the spec). */
async function records(): Promise<CacheRecord[]> {
  const r = await raw(d.socket, 'GET', '/v1.56/system/df?type=build-cache&verbose=1');
  assertMatchesSpec('GET', '/system/df', 200, r.json);
  return (r.json as { BuildCacheUsage: { Items?: CacheRecord[] } }).BuildCacheUsage.Items ?? [];
}
const byStep = (items: CacheRecord[], text: string): CacheRecord => {
  const found = items.find((i) => i.Description.includes(text));
  assert.ok(found, `no record for ${text}: ${JSON.stringify(items)}`);
  return found;
};

/** `DOCKER_BUILDKIT=0 docker build -q` of `lines` (untagged): the image id. */
async function build(lines: string[]): Promise<string> {
  await writeFile(join(dir, 'Dockerfile'), ['FROM busybox', ...lines].join('\n'));
  return ok(
    await docker(d, ['build', '-q', dir], { timeoutMs: 120_000, env: { DOCKER_BUILDKIT: '0' } }),
  ).trim();
}
const prune = async (args: string[]): Promise<string> =>
  ok(await docker(d, ['builder', 'prune', '-f', ...args]));
const imageExists = async (id: string): Promise<boolean> =>
  (await docker(d, ['image', 'inspect', id])).code === 0;

const chain = ['RUN head -c 100000 /dev/urandom > /a', 'RUN head -c 200000 /dev/urandom > /b'];

test('a rebuild hits the cache: UsageCount 2 and LastUsedAt after CreatedAt', async () => {
  const first = await build([...chain, 'CMD ["ls"]']);
  for (const i of await records()) {
    assert.equal(i.UsageCount, 1);
    assert.equal(i.LastUsedAt, i.CreatedAt, 'never hit: the creation time');
  }
  assert.equal(await build([...chain, 'CMD ["ls"]']), first, 'the same image, from the cache');
  const items = await records();
  assert.equal(items.length, 3, JSON.stringify(items));
  for (const i of items) {
    assert.equal(i.UsageCount, 2, JSON.stringify(i));
    assert.ok(Date.parse(i.LastUsedAt) > Date.parse(i.CreatedAt), JSON.stringify(i));
  }
});

test('--filter until=1h deletes nothing used within the hour', async () => {
  const out = await prune(['--filter', 'until=1h']);
  assert.match(out, /Total reclaimed space:\s+0B/, out);
  assert.equal((await records()).length, 3);
  // The typed client sends the same options.
  const viaClient = await d.client.builder.prune({ filters: { until: ['1h'] }, all: true });
  assert.deepEqual(viaClient.CachesDeleted ?? [], []);
  assert.equal((await records()).length, 3);
});

test('a bad filter is a 400 with dockerd message, before anything is deleted', async () => {
  const bad = encodeURIComponent(JSON.stringify({ dangling: ['true'] }));
  const r = await raw(d.socket, 'POST', `/v1.56/build/prune?all=1&filters=${bad}`);
  // dockerd answers 400 (InvalidParameter) though the spec lists only 200 and 500; the body is
  // the spec's ErrorResponse, checked with the 500 schema.
  assert.equal(r.status, 400, r.text);
  assertMatchesSpec('POST', '/build/prune', 500, r.json);
  assert.deepEqual(r.json, { message: "invalid filter 'dangling'" });
  const until = await docker(d, ['builder', 'prune', '-af', '--filter', 'until=yesterday']);
  assert.notEqual(until.code, 0);
  assert.match(until.stderr, /"until" filter expects a duration/);
  const keep = await raw(d.socket, 'POST', '/v1.56/build/prune?all=1&keep-storage=lots');
  assert.equal(keep.status, 400, keep.text);
  assert.equal((await records()).length, 3, 'nothing was deleted');
});

test('--filter id deletes just that record and its image; a parent stays while its child does', async () => {
  const items = await records();
  const a = byStep(items, 'head -c 100000');
  const top = byStep(items, 'CMD');
  const kept = await prune(['--filter', `id=${a.ID}`]);
  assert.match(kept, /Total reclaimed space:\s+0B/, kept);
  assert.equal((await records()).length, 3, 'the RUN /b record is built on it');
  const out = await prune(['--filter', `id=${top.ID}`]);
  assert.match(out, new RegExp(top.ID), out);
  const left = await records();
  assert.deepEqual(
    left.map((i) => i.ID).sort(),
    items
      .filter((i) => i !== top)
      .map((i) => i.ID)
      .sort(),
  );
  assert.equal(await imageExists(top.ID), false, 'its image went (nothing kept it)');
  assert.equal(await imageExists(a.ID), true);
});

test('-a also forgets what a named image keeps, never removing that image; -af empties it', async () => {
  const b = byStep(await records(), 'head -c 200000');
  ok(await docker(d, ['tag', b.ID, 'bcp:keep']));
  await prune([]);
  assert.equal((await records()).length, 2, 'without --all shared records stay');
  const r = await raw(d.socket, 'POST', '/v1.56/build/prune?all=1');
  assert.equal(r.status, 200, r.text);
  assertMatchesSpec('POST', '/build/prune', 200, r.json);
  const body = r.json as { CachesDeleted: string[]; SpaceReclaimed: number };
  assert.equal(body.CachesDeleted.length, 2, r.text);
  assert.equal(body.SpaceReclaimed, 0, 'the named image keeps both layers');
  assert.deepEqual(await records(), []);
  assert.equal(await imageExists('bcp:keep'), true);
  ok(await docker(d, ['rmi', 'bcp:keep']));
});

test('--keep-storage keeps the most recently used records up to the limit', async () => {
  const ids: string[] = [];
  for (const n of ['x', 'y', 'z'])
    ids.push(await build([`RUN head -c 100000 /dev/urandom > /${n}`]));
  const out = await prune(['--keep-storage', '250000']);
  assert.match(out, /Total reclaimed space:\s+10\d(\.\d+)?kB/, out);
  assert.deepEqual((await records()).map((i) => i.Description.slice(-2)).sort(), ['/y', '/z']);
  assert.equal(await imageExists(ids[0] ?? ''), false);
  await build(['RUN head -c 100000 /dev/urandom > /y']); // a hit: y is now the last used
  await prune(['--keep-storage', '150000']);
  assert.deepEqual(
    (await records()).map((i) => i.Description.slice(-2)),
    ['/y'],
  );
  ok(await docker(d, ['builder', 'prune', '-af']));
  assert.deepEqual(await records(), []);
  assert.equal(await imageExists(ids[1] ?? ''), false);
});
