import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { assertMatchesSpec, assertStatusInSpec } from '../../compat/spec-check.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
  ok(
    await docker(d, [
      'run',
      '--name',
      'du1',
      'busybox',
      'sh',
      '-c',
      'head -c 50000 /dev/zero > /f',
    ]),
  );
  ok(await docker(d, ['run', '-d', '--name', 'du2', 'busybox', 'sleep', '300']));
});
after(async () => {
  await d.cleanup();
});

const ok = (r: { code: number | null; stderr: string }) => assert.equal(r.code, 0, r.stderr);

interface Legacy {
  LayersSize: number;
  Images: { Id: string; Size: number; SharedSize: number; Containers: number }[];
  Containers: { Names: string[]; SizeRw: number; SizeRootFs: number }[];
  Volumes: unknown[];
  BuildCache: unknown[];
}

test('GET /system/df before API 1.52: layers, images, containers, volumes, build cache', async () => {
  const r = await raw(d.socket, 'GET', '/v1.50/system/df');
  assert.equal(r.status, 200, r.text);
  const du = r.json as Legacy;
  assert.ok(du.LayersSize > 500000);
  assert.equal(du.Images.length, 1);
  assert.equal(du.Images[0]?.Containers, 2);
  assert.equal(du.Images[0]?.SharedSize, 0);
  assert.equal(du.Images[0]?.Size, du.LayersSize);
  const du1 = du.Containers.find((c) => c.Names[0] === '/du1');
  assert.ok(du1 && du1.SizeRw >= 50000 && du1.SizeRootFs === du1.SizeRw + du.LayersSize);
  assert.deepEqual(du.Volumes, []);
  assert.deepEqual(du.BuildCache, []);
  const onlyImages = (await raw(d.socket, 'GET', '/v1.50/system/df?type=image')).json as object;
  assert.deepEqual(Object.keys(onlyImages).sort(), ['Images', 'LayersSize']);
  const bad = await raw(d.socket, 'GET', '/v1.50/system/df?type=nope');
  assert.equal(bad.status, 400);
});

test('GET /system/df at API 1.56 matches the spec, with items only when verbose', async () => {
  const r = await raw(d.socket, 'GET', '/v1.56/system/df');
  assert.equal(r.status, 200);
  assertStatusInSpec('GET', '/system/df', 200);
  assertMatchesSpec('GET', '/system/df', 200, r.json);
  const du = r.json as Record<
    string,
    { ActiveCount: number; TotalCount: number; Items?: unknown[] }
  >;
  assert.deepEqual([du['ContainerUsage']?.TotalCount, du['ContainerUsage']?.ActiveCount], [2, 1]);
  assert.equal(du['ImageUsage']?.TotalCount, 1);
  assert.equal(du['ImageUsage']?.Items, undefined);
  const v = await raw(d.socket, 'GET', '/v1.56/system/df?verbose=1&type=container');
  assertMatchesSpec('GET', '/system/df', 200, v.json);
  const vd = v.json as Record<string, { Items?: unknown[] }>;
  assert.deepEqual(Object.keys(vd), ['ContainerUsage']);
  assert.equal(vd['ContainerUsage']?.Items?.length, 2);
});

test('docker system df and docker system df -v', async () => {
  const r = await docker(d, ['system', 'df']);
  ok(r);
  assert.match(r.stdout, /^Images\s+1\s+1\s+/m);
  assert.match(r.stdout, /^Containers\s+2\s+1\s+/m);
  assert.match(r.stdout, /^Local Volumes\s+0\s+0\s+/m);
  assert.match(r.stdout, /^Build Cache\s+0\s+0\s+/m);
  const v = await docker(d, ['system', 'df', '-v']);
  ok(v);
  assert.match(v.stdout, /^busybox\s+latest\s+/m);
  assert.match(v.stdout, /\s50kB\s.*du1$/m);
});
