import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { assertMatchesSpec } from '../../compat/spec-check.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

test('the bootstrapped busybox image is listed like any image', async () => {
  const r = await raw(d.socket, 'GET', '/v1.56/images/json');
  assert.equal(r.status, 200);
  assertMatchesSpec('GET', '/images/json', 200, r.json);
  const list = r.json as { Id: string; RepoTags: string[]; Size: number }[];
  assert.equal(list.length, 1);
  assert.deepEqual(list[0]?.RepoTags, ['busybox:latest']);
  assert.match(list[0]?.Id ?? '', /^sha256:[0-9a-f]{64}$/);
  assert.ok((list[0]?.Size ?? 0) > 500_000, 'busybox-static is over 500 kB');
});

test('image inspect shows Cmd ["sh"], one layer diff id, and works by name, id and short id', async () => {
  const byName = await raw(d.socket, 'GET', '/v1.56/images/busybox/json');
  assert.equal(byName.status, 200);
  assertMatchesSpec('GET', '/images/{name}/json', 200, byName.json);
  const img = byName.json as {
    Id: string;
    Config: { Cmd: string[]; Env: string[] };
    RootFS: { Layers: string[] };
    Os: string;
    Architecture: string;
  };
  assert.deepEqual(img.Config.Cmd, ['sh']);
  assert.equal(img.RootFS.Layers.length, 1);
  assert.equal(img.Os, 'linux');
  assert.equal(img.Architecture, 'amd64');
  for (const ref of [
    img.Id,
    img.Id.slice(7, 19),
    'busybox:latest',
    'docker.io/library/busybox:latest',
  ]) {
    const r = await raw(d.socket, 'GET', `/v1.56/images/${ref}/json`);
    assert.equal(r.status, 200, ref);
    assert.equal((r.json as { Id: string }).Id, img.Id);
  }
});

test("an unknown image is a 404 with Docker's message; a malformed name is a 400", async () => {
  const missing = await raw(d.socket, 'GET', '/v1.56/images/nosuch:1.0/json');
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.json, { message: 'No such image: nosuch:1.0' });
  assertMatchesSpec('GET', '/images/{name}/json', 404, missing.json);
  const bad = await raw(d.socket, 'GET', '/v1.56/images/Bad..Name/json');
  assert.equal(bad.status, 400);
  assert.match((bad.json as { message: string }).message, /invalid reference format/);
});
