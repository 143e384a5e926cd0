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

test('GET and HEAD /_ping answer OK with the negotiation headers', async () => {
  for (const method of ['GET', 'HEAD']) {
    const r = await raw(d.socket, method, '/_ping');
    assert.equal(r.status, 200);
    assert.equal(r.headers['api-version'], '1.56');
    assert.equal(r.headers['ostype'], 'linux');
    assert.equal(r.text, method === 'GET' ? 'OK' : '');
  }
});

test('GET /version names Berth and the API range, with and without a version prefix', async () => {
  for (const path of ['/version', '/v1.45/version', '/v1.24/version']) {
    const r = await raw(d.socket, 'GET', path);
    assert.equal(r.status, 200);
    assertMatchesSpec('GET', '/version', 200, r.json);
    const v = r.json as { ApiVersion: string; MinAPIVersion: string; Platform: { Name: string } };
    assert.equal(v.ApiVersion, '1.56');
    assert.equal(v.MinAPIVersion, '1.24');
    assert.match(v.Platform.Name, /Berth/);
  }
});

test('GET /info reports counts, the storage driver and the data root', async () => {
  const r = await raw(d.socket, 'GET', '/v1.56/info');
  assert.equal(r.status, 200);
  assertMatchesSpec('GET', '/info', 200, r.json);
  const info = r.json as { Images: number; Driver: string; DockerRootDir: string; OSType: string };
  assert.equal(info.Images, 1); // the bootstrapped busybox
  assert.equal(info.Driver, 'overlay');
  assert.equal(info.DockerRootDir, d.dataRoot);
  assert.equal(info.OSType, 'linux');
});

test('API versions outside 1.24..1.56 are refused with Docker messages', async () => {
  const old = await raw(d.socket, 'GET', '/v1.12/version');
  assert.equal(old.status, 400);
  assert.match(
    (old.json as { message: string }).message,
    /client version 1\.12 is too old\. Minimum supported API version is 1\.24/,
  );
  const young = await raw(d.socket, 'GET', '/v1.99/version');
  assert.equal(young.status, 400);
  assert.match((young.json as { message: string }).message, /client version 1\.99 is too new/);
});

test('an unknown endpoint is a 404 with a JSON message', async () => {
  const r = await raw(d.socket, 'GET', '/v1.56/nothing/here');
  assert.equal(r.status, 404);
  assert.deepEqual(r.json, { message: 'page not found' });
});
