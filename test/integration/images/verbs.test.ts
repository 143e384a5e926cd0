import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { berth, docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { assertMatchesSpec } from '../../compat/spec-check.js';

let d: TestDaemon;
let busyboxId = '';
before(async () => {
  d = await startTestDaemon();
  busyboxId = (await d.client.imageInspect('busybox')).Id ?? '';
});
after(async () => {
  await d.cleanup();
});

const msg = (r: { json: unknown }) => (r.json as { message: string }).message;
const tagsOf = async (ref: string) => (await d.client.imageInspect(ref)).RepoTags ?? [];

test('tag: 201 without a body, the new name resolves, LastTagTime is set, events say tag', async () => {
  const t0 = `${Date.now() / 1000}`;
  const r = await raw(d.socket, 'POST', '/v1.56/images/busybox/tag?repo=test/busybox&tag=1');
  assert.equal(r.status, 201);
  assert.equal(r.text, '');
  assertMatchesSpec('POST', '/images/{name}/tag', 201, undefined);
  const img = await d.client.imageInspect('test/busybox:1');
  assert.equal(img.Id, busyboxId);
  assert.deepEqual(img.RepoTags, ['busybox:latest', 'test/busybox:1']);
  assert.notEqual(img.Metadata?.LastTagTime, '0001-01-01T00:00:00Z');
  assert.ok(Date.parse(img.Metadata?.LastTagTime ?? '') > Date.now() - 60_000);
  assertMatchesSpec('GET', '/images/{name}/json', 200, img);
  const events = [];
  for await (const e of await d.client.events({ since: t0, until: `${Date.now() / 1000 + 1}` }))
    events.push(e);
  assert.ok(
    events.some((e) => e.Action === 'tag' && e.Actor?.Attributes?.['name'] === 'test/busybox:1'),
  );
});

test('tag: bad names are 400 with Docker messages, an unknown source is 404', async () => {
  const bad = await raw(d.socket, 'POST', '/v1.56/images/busybox/tag?repo=Bad..Name&tag=1');
  assert.equal(bad.status, 400);
  assertMatchesSpec('POST', '/images/{name}/tag', 400, bad.json);
  assert.match(msg(bad), /invalid reference format/);
  const badTag = await raw(d.socket, 'POST', '/v1.56/images/busybox/tag?repo=x&tag=-bad');
  assert.equal(badTag.status, 400);
  assert.equal(msg(badTag), 'invalid tag format');
  const digest = await raw(d.socket, 'POST', `/v1.56/images/busybox/tag?repo=x@${busyboxId}`);
  assert.equal(digest.status, 400);
  assert.equal(msg(digest), 'cannot tag with a digest');
  const missing = await raw(d.socket, 'POST', '/v1.56/images/nosuch/tag?repo=x&tag=1');
  assert.equal(missing.status, 404);
  assertMatchesSpec('POST', '/images/{name}/tag', 404, missing.json);
  assert.equal(msg(missing), 'No such image: nosuch');
});

test('docker tag and berth tag name the image', async () => {
  const r = await docker(d, ['tag', 'busybox', '127.0.0.1:5999/other/busybox:2']);
  assert.equal(r.code, 0, r.stderr);
  const b = await berth(d, ['tag', busyboxId.slice(7, 19), 'berth/tagged']);
  assert.equal(b.code, 0, b.stderr);
  assert.deepEqual(await tagsOf('busybox'), [
    '127.0.0.1:5999/other/busybox:2',
    'berth/tagged:latest',
    'busybox:latest',
    'test/busybox:1',
  ]);
});

test('image list filters: reference globs, dangling, label, before/since, unknown keys', async () => {
  const list = async (filters: Record<string, string[]>) => {
    const r = await raw(
      d.socket,
      'GET',
      `/v1.56/images/json?filters=${encodeURIComponent(JSON.stringify(filters))}`,
    );
    if (r.status === 200) assertMatchesSpec('GET', '/images/json', 200, r.json);
    return r;
  };
  const tags = async (filters: Record<string, string[]>) =>
    ((await list(filters)).json as { RepoTags: string[] }[]).map((i) => i.RepoTags);
  assert.deepEqual(await tags({ reference: ['busy*'] }), [['busybox:latest']]);
  assert.deepEqual(await tags({ reference: ['*/busybox'] }), [['test/busybox:1']]);
  assert.deepEqual(await tags({ reference: ['*/*/busybox:2'] }), [
    ['127.0.0.1:5999/other/busybox:2'],
  ]);
  assert.deepEqual(await tags({ reference: ['nomatch*'] }), []);
  assert.deepEqual(await tags({ dangling: ['true'] }), []);
  assert.equal((await tags({ dangling: ['false'] })).length, 1);
  assert.deepEqual(await tags({ label: ['nolabel'] }), []);
  assert.deepEqual(await tags({ before: ['busybox'] }), []);
  assert.deepEqual(await tags({ since: ['busybox'] }), []);
  assert.equal((await tags({ until: ['1h'] })).length, 1, 'busybox was created long ago');
  const unknown = await list({ bogus: ['1'] });
  assert.equal(unknown.status, 400);
  assert.equal(msg(unknown), "invalid filter 'bogus'");
  const badDangling = await list({ dangling: ['maybe'] });
  assert.equal(badDangling.status, 400);
  const noImage = await list({ before: ['nosuch:1'] });
  assert.equal(noImage.status, 404);
  const cli = await docker(d, [
    'images',
    '--filter',
    'reference=*/busybox',
    '--format',
    '{{.Repository}}:{{.Tag}}',
  ]);
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal(cli.stdout.trim(), 'test/busybox:1');
});

test('history: one entry per config history item, id and tags on top, sizes from snapshots', async () => {
  const r = await raw(d.socket, 'GET', '/v1.56/images/test/busybox:1/history');
  assert.equal(r.status, 200);
  assertMatchesSpec('GET', '/images/{name}/history', 200, r.json);
  const h = r.json as { Id: string; Tags: string[]; Size: number; CreatedBy: string }[];
  assert.equal(h.length, 1);
  assert.equal(h[0]?.Id, busyboxId);
  assert.ok(h[0]?.Tags.includes('test/busybox:1'));
  assert.ok((h[0]?.Size ?? 0) > 500_000);
  assert.match(h[0]?.CreatedBy ?? '', /busybox-static/);
  const missing = await raw(d.socket, 'GET', '/v1.56/images/nosuch/history');
  assert.equal(missing.status, 404);
  assertMatchesSpec('GET', '/images/{name}/history', 404, missing.json);
  const cli = await docker(d, ['history', 'busybox']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT/);
  assert.match(cli.stdout, new RegExp(busyboxId.slice(7, 19)));
  const b = await berth(d, ['history', '-q', 'busybox']);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(b.stdout.trim(), busyboxId.slice(7, 19));
});

test('search answers 500 with a clear message (the index is never contacted)', async () => {
  const r = await raw(d.socket, 'GET', '/v1.56/images/search?term=busybox');
  assert.equal(r.status, 500);
  assertMatchesSpec('GET', '/images/search', 500, r.json);
  assert.match(msg(r), /image search is not supported by this engine/);
  const cli = await docker(d, ['search', 'busybox']);
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /image search is not supported/);
});

test('rmi of one name among several only untags it', async () => {
  const r = await raw(d.socket, 'DELETE', '/v1.56/images/berth/tagged');
  assert.equal(r.status, 200);
  assertMatchesSpec('DELETE', '/images/{name}', 200, r.json);
  assert.deepEqual(r.json, [{ Untagged: 'berth/tagged:latest' }]);
  const cli = await docker(d, ['rmi', '127.0.0.1:5999/other/busybox:2']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal(cli.stdout.trim(), 'Untagged: 127.0.0.1:5999/other/busybox:2');
  assert.deepEqual(await tagsOf('busybox'), ['busybox:latest', 'test/busybox:1']);
  await d.client.imageTag('busybox', 'berth/again', 'x');
  const t0 = `${Date.now() / 1000}`;
  const b = await berth(d, ['rmi', 'berth/again:x', 'nosuch:1']);
  assert.equal(b.code, 1, 'one of the two failed');
  assert.equal(b.stdout, 'Untagged: berth/again:x\n');
  assert.match(b.stderr, /No such image: nosuch:1/);
  const events = [];
  for await (const e of await d.client.events({ since: t0, until: `${Date.now() / 1000 + 1}` }))
    events.push(`${e.Type} ${e.Action} ${e.Actor?.Attributes?.['name']}`);
  // `since` has one-second granularity, so the tag above may show too; no delete may
  assert.deepEqual(
    events.filter((e) => !e.startsWith('image tag ')),
    [`image untag ${busyboxId}`],
  );
});

test('rmi by id with names in several repositories needs force; unknown is 404', async () => {
  const r = await raw(d.socket, 'DELETE', `/v1.56/images/${busyboxId.slice(7, 19)}`);
  assert.equal(r.status, 409);
  assertMatchesSpec('DELETE', '/images/{name}', 409, r.json);
  assert.equal(
    msg(r),
    `conflict: unable to delete ${busyboxId.slice(7, 19)} (must be forced) - image is referenced in multiple repositories`,
  );
  const missing = await raw(d.socket, 'DELETE', '/v1.56/images/nosuch:9');
  assert.equal(missing.status, 404);
  assertMatchesSpec('DELETE', '/images/{name}', 404, missing.json);
});

test('an image used by a container: rmi is a 409, -f untags only, by id the container blocks it', async () => {
  const created = await docker(d, ['create', '--name', 'user1', 'busybox', 'true']);
  assert.equal(created.code, 0, created.stderr);
  const cid = created.stdout.trim();
  await d.client.imageRemove('test/busybox:1');
  const r = await raw(d.socket, 'DELETE', '/v1.56/images/busybox');
  assert.equal(r.status, 409);
  assert.equal(
    msg(r),
    `conflict: unable to remove repository reference "busybox" (must force) - container ${cid.slice(0, 12)} is using its referenced image ${busyboxId.slice(7, 19)}`,
  );
  const cli = await docker(d, ['rmi', 'busybox']);
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /must force/);
  const byId = await raw(d.socket, 'DELETE', `/v1.56/images/${busyboxId}`);
  assert.equal(byId.status, 409);
  assert.match(msg(byId), /image is being used by stopped container/);
  const forced = await docker(d, ['rmi', '-f', 'busybox']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(forced.stdout.trim(), 'Untagged: busybox:latest');
  const img = await d.client.imageInspect(busyboxId);
  assert.deepEqual(img.RepoTags, []);
  const dangling = await d.client.imageList({ filters: { dangling: ['true'] } });
  assert.deepEqual(
    dangling.map((i) => i.Id),
    [busyboxId],
  );
  // the container still starts from its (now untagged) image
  const start = await docker(d, ['start', '-a', 'user1']);
  assert.equal(start.code, 0, start.stderr);
});

test('prune: in-use images are kept; unused dangling ones go with snapshots and blobs', async () => {
  const kept = await raw(d.socket, 'POST', '/v1.56/images/prune');
  assert.equal(kept.status, 200);
  assertMatchesSpec('POST', '/images/prune', 200, kept.json);
  assert.deepEqual(kept.json, { ImagesDeleted: null, SpaceReclaimed: 0 });
  const berthPrune = await berth(d, ['image', 'prune', '-a', '-f']);
  assert.equal(berthPrune.code, 0, berthPrune.stderr);
  assert.equal(berthPrune.stdout, 'Total reclaimed space: 0B\n');
  const bad = await raw(
    d.socket,
    'POST',
    `/v1.56/images/prune?filters=${encodeURIComponent('{"bogus":["1"]}')}`,
  );
  assert.equal(bad.status, 400);
  await d.client.containerRemove('user1');
  const layersDir = join(d.dataRoot, 'overlay', 'layers');
  const blobsDir = join(d.dataRoot, 'content', 'blobs', 'sha256');
  assert.equal((await readdir(layersDir)).length, 1);
  assert.ok((await readdir(blobsDir)).length >= 3);
  const t0 = `${Date.now() / 1000}`;
  const cli = await docker(d, ['image', 'prune', '-f']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, new RegExp(`deleted: ${busyboxId}`));
  assert.match(cli.stdout, /Total reclaimed space: [1-9][\d.]*[kM]B/);
  assert.deepEqual(await d.client.imageList({ all: true }), []);
  assert.deepEqual(await readdir(layersDir), []);
  assert.deepEqual(await readdir(blobsDir), []);
  assert.ok(!existsSync(join(blobsDir, busyboxId.slice(7))));
  const events = [];
  for await (const e of await d.client.events({ since: t0, until: `${Date.now() / 1000 + 1}` }))
    events.push(`${e.Type} ${e.Action}`);
  assert.ok(events.includes('image delete'), events.join(','));
  assert.ok(events.includes('image prune'), events.join(','));
});
