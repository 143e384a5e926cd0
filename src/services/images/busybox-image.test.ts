import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBusyboxImage, OCI_CONFIG, OCI_LAYER_GZIP, OCI_MANIFEST } from './busybox-image.js';
import { listApplets } from './busybox-layer.js';
import { unpackLayer } from '../../archive/unpack-layer.js';
import { ContentStore } from '../../store/content/content-store.js';
import { digestOf } from '../../lib/digest.js';
import { execFile } from '../../lib/exec.js';

async function scratch(t: TestContext) {
  const base = await mkdtemp(join(tmpdir(), 'berth-test-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  return base;
}

test('the busybox image is deterministic and well-formed', async (t) => {
  const base = await scratch(t);
  const a = await buildBusyboxImage(await ContentStore.open(join(base, 'a')), { arch: 'amd64' });
  const storeB = await ContentStore.open(join(base, 'b'));
  const b = await buildBusyboxImage(storeB, { arch: 'amd64', busyboxPath: '/bin/busybox' });
  assert.equal(a.configDigest, b.configDigest, 'same image id');
  assert.equal(a.manifestDigest, b.manifestDigest);
  assert.deepEqual(a.layers, b.layers);

  const manifest = JSON.parse(
    (await storeB.readBuffer(b.manifestDigest, { verify: true })).toString(),
  );
  assert.deepEqual(manifest, b.manifest);
  assert.equal(manifest.mediaType, OCI_MANIFEST);
  assert.equal(manifest.config.mediaType, OCI_CONFIG);
  assert.equal(manifest.layers[0]?.mediaType, OCI_LAYER_GZIP);
  assert.equal(manifest.config.digest, b.configDigest);
  const config = JSON.parse((await storeB.readBuffer(b.configDigest, { verify: true })).toString());
  assert.deepEqual(config, b.config);
  assert.equal(config.architecture, 'amd64');
  assert.equal(config.os, 'linux');
  assert.deepEqual(config.config?.Cmd, ['sh']);
  assert.deepEqual(config.rootfs, { type: 'layers', diff_ids: [b.layers[0]!.diffId] });
  assert.match(
    config.history?.[0]?.created_by ?? '',
    /^berth image bootstrap: busybox-static \d+\.\d+/,
  );
  assert.equal(await storeB.size(b.layers[0]!.digest), b.layers[0]!.size);
});

test('the busybox layer unpacks to a working rootfs with the expected diff id', async (t) => {
  const base = await scratch(t);
  const store = await ContentStore.open(join(base, 'content'));
  const img = await buildBusyboxImage(store, { arch: 'amd64' });
  const layer = img.layers[0]!;
  const root = join(base, 'rootfs');
  await mkdir(root);
  const r = await unpackLayer(store.createReadStream(layer.digest), root);
  assert.equal(r.diffId, layer.diffId);
  assert.equal(r.size, layer.uncompressedSize);

  const bb = await stat(join(root, 'bin/busybox'));
  assert.equal(bb.mode & 0o7777, 0o755);
  assert.equal(bb.size, (await stat('/bin/busybox')).size);
  const applets = await listApplets('/bin/busybox');
  assert.ok(applets.includes('sh') && applets.includes('echo') && applets.includes('sleep'));
  assert.equal(bb.nlink, applets.length + 1, 'one hardlink per applet');
  for (const a of ['sh', 'echo', 'sleep', '['])
    assert.equal((await lstat(join(root, 'bin', a))).ino, bb.ino, a);
  assert.equal((await stat(join(root, 'root'))).mode & 0o7777, 0o700);
  assert.equal((await stat(join(root, 'tmp'))).mode & 0o7777, 0o1777);
  for (const d of [
    'dev',
    'etc',
    'home',
    'proc',
    'sys',
    'usr/bin',
    'usr/sbin',
    'var/spool',
    'var/www',
  ])
    assert.ok((await stat(join(root, d))).isDirectory(), d);
  const passwd = await readFile(join(root, 'etc/passwd'), 'utf8');
  assert.match(passwd, /^root:x:0:0:root:\/root:\/bin\/sh$/m);
  assert.match(passwd, /^nobody:x:65534:65534:/m);
  const group = await readFile(join(root, 'etc/group'), 'utf8');
  assert.match(group, /^users:x:100:$/m);
  assert.match(group, /^nogroup:x:65534:$/m);
  assert.equal(bb.mtime.toISOString(), img.config.created?.replace('Z', '.000Z'));

  // The unpacked binary runs (statically linked: no loader needed).
  const echo = await execFile(join(root, 'bin/echo'), ['hi'], { timeoutMs: 5000 });
  assert.equal(echo.stdout, 'hi\n');
  assert.equal(
    digestOf(await readFile(join(root, 'bin/busybox'))),
    digestOf(await readFile('/bin/busybox')),
  );
});
