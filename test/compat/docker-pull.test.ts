import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pushTestImage } from '../helpers/registry-images.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { berth, docker, startTestDaemon, type TestDaemon } from '../helpers/test-daemon.js';

let d: TestDaemon;
let reg: TestRegistry;
let sec: TestRegistry;

before(async () => {
  [d, reg, sec] = await Promise.all([
    startTestDaemon(),
    startRegistry(),
    startRegistry({ auth: 'basic' }),
  ]);
});
after(async () => {
  await Promise.all([d?.cleanup(), reg?.stop(), sec?.stop()]);
});

test('docker pull 127.0.0.1:PORT/test/busybox:1, then docker run --rm it; re-pull is up to date', async () => {
  const img = await pushTestImage(reg.host, 'test/busybox:1', {
    image: { kind: 'random', layers: 1, layerBytes: 200_000, withBusybox: true },
  });
  const p = await docker(d, ['pull', img.ref]);
  assert.equal(p.code, 0, p.stderr);
  assert.match(p.stdout, /1: Pulling from test\/busybox/);
  assert.match(p.stdout, /Pull complete/);
  assert.match(p.stdout, new RegExp(`Digest: ${img.digest}`));
  assert.match(p.stdout, new RegExp(`Status: Downloaded newer image for ${img.ref}`));
  const run = await docker(d, [
    'run',
    '--rm',
    img.ref,
    'sh',
    '-c',
    'echo hi from pulled; ls /data',
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'hi from pulled\nlayer0.bin\n');
  const again = await docker(d, ['pull', img.ref]);
  assert.match(again.stdout, /Image is up to date/);
  const digests = await docker(d, [
    'images',
    '--digests',
    '--format',
    '{{.Repository}} {{.Tag}} {{.Digest}}',
  ]);
  assert.match(digests.stdout, new RegExp(`${reg.host}/test/busybox 1 ${img.digest}`));
});

test('docker pull by digest, --platform on a manifest list, unknown tag', async () => {
  const multi = await pushTestImage(reg.host, 'test/multi:1', { image: { kind: 'index' } });
  const byDigest = await docker(d, ['pull', multi.digestRef]);
  assert.equal(byDigest.code, 0, byDigest.stderr);
  const arm = await docker(d, ['pull', '--platform', 'linux/arm64', multi.ref]);
  assert.equal(arm.code, 0, arm.stderr);
  const archOf = await docker(d, ['image', 'inspect', '--format', '{{.Architecture}}', multi.ref]);
  assert.equal(archOf.stdout.trim(), 'arm64');
  const missing = await docker(d, ['pull', `${reg.host}/test/multi:nope`]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /manifest for .*test\/multi:nope not found: manifest_unknown/);
});

test('docker login (DOCKER_CONFIG in the test dir) then docker pull from a basic-auth registry', async () => {
  const img = await pushTestImage(sec.host, 'private/app:2', {
    image: { kind: 'random', layers: 1, layerBytes: 10_000 },
    creds: { username: sec.username, password: sec.password },
  });
  const denied = await docker(d, ['pull', img.ref]);
  assert.notEqual(denied.code, 0);
  assert.match(
    denied.stderr,
    /pull access denied|no basic auth credentials|authentication required/i,
  );
  const bad = await docker(d, ['login', '-u', sec.username, '--password-stdin', sec.host], {
    input: 'wrong\n',
  });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /login attempt to .* failed|unauthorized/i);
  const login = await docker(d, ['login', '-u', sec.username, '--password-stdin', sec.host], {
    input: `${sec.password}\n`,
  });
  assert.equal(login.code, 0, login.stderr);
  assert.match(login.stdout, /Login Succeeded/);
  const ok = await docker(d, ['pull', img.ref]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /Downloaded newer image/);
  await docker(d, ['logout', sec.host]);
});

test('berth pull and berth run pulling a missing image', async () => {
  const img = await pushTestImage(reg.host, 'test/berth:3', {
    image: { kind: 'random', layers: 1, layerBytes: 5_000, withBusybox: true },
  });
  const p = await berth(d, ['pull', img.ref]);
  assert.equal(p.code, 0, p.stderr);
  assert.match(p.stdout, /Pull complete/);
  assert.match(p.stdout, /Status: Downloaded newer image/);
  const other = await pushTestImage(reg.host, 'test/berth:4', {
    image: { kind: 'random', layers: 1, layerBytes: 5_000, withBusybox: true },
  });
  const run = await berth(d, ['run', '--rm', other.ref, 'echo', 'ran after pull']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /Unable to find image .* locally/);
  assert.equal(run.stdout, 'ran after pull\n');
  const dockerRun = await docker(d, ['run', '--rm', `${reg.host}/test/berth:3`, 'true']);
  assert.equal(dockerRun.code, 0);
});
