import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { unpackLayer } from './unpack-layer.js';
import { buildTar, type TestEntry } from './tar-fixture.js';
import { isKind } from '../errors/index.js';
import { digestOf } from '../lib/digest.js';
import { execFile } from '../lib/exec.js';

/** base/dest is unpacked into; base/outside holds a file that must never change. */
async function scratch(t: TestContext) {
  const base = await mkdtemp(join(tmpdir(), 'berth-test-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  await mkdir(join(base, 'dest'));
  await mkdir(join(base, 'outside'));
  await writeFile(join(base, 'outside', 'secret'), 'original');
  return { base, dest: join(base, 'dest'), outside: join(base, 'outside') };
}

const mtime = new Date('2020-02-02T02:02:02Z');
const file = (
  name: string,
  content = 'x',
  extra: Partial<TestEntry['header']> = {},
): TestEntry => ({
  header: { name, type: 'file', mode: 0o644, mtime, ...extra },
  content,
});

async function assertOutsideUntouched(base: string, outside: string) {
  assert.deepEqual((await readdir(base)).sort(), ['dest', 'outside']);
  assert.deepEqual(await readdir(outside), ['secret']);
  assert.equal(await readFile(join(outside, 'secret'), 'utf8'), 'original');
}

const hostile: [string, (outside: string) => TestEntry[], RegExp][] = [
  ['dot-dot path', () => [file('../evil')], /"\.\."/],
  ['nested dot-dot', () => [file('a/../../evil')], /"\.\."/],
  ['absolute path', () => [file('/abs-evil')], /absolute/],
  [
    'file through a symlinked parent',
    (outside) => [{ header: { name: 'ln', type: 'symlink', linkname: outside } }, file('ln/pwned')],
    /"ln\/pwned".*symlink/,
  ],
  [
    'file through a relative symlinked parent',
    () => [
      { header: { name: 'ln', type: 'symlink', linkname: '../outside' } },
      file('ln/secret', 'pwned'),
    ],
    /symlink/,
  ],
  [
    'whiteout through a symlinked parent',
    (outside) => [
      { header: { name: 'ln', type: 'symlink', linkname: outside } },
      file('ln/.wh.secret', ''),
    ],
    /symlink/,
  ],
  [
    'opaque marker through a symlinked parent',
    (outside) => [
      { header: { name: 'ln', type: 'symlink', linkname: outside } },
      file('ln/.wh..wh..opq', ''),
    ],
    /symlink/,
  ],
  ['whiteout of ..', () => [file('a/.wh...', '')], /invalid whiteout/],
  [
    'hardlink to ../outside',
    () => [{ header: { name: 'h', type: 'link', linkname: '../outside/secret' } }],
    /"\.\."/,
  ],
  [
    'hardlink to /etc/passwd',
    () => [{ header: { name: 'h', type: 'link', linkname: '/etc/passwd' } }],
    /absolute/,
  ],
  [
    'hardlink through a symlink',
    (outside) => [
      { header: { name: 'ln', type: 'symlink', linkname: outside } },
      { header: { name: 'h', type: 'link', linkname: 'ln/secret' } },
    ],
    /not a file of this layer/,
  ],
  [
    'hardlink to a file not in this layer',
    () => [{ header: { name: 'h', type: 'link', linkname: 'pre' } }],
    /not a file of this layer/,
  ],
  [
    'char device',
    () => [{ header: { name: 'null', type: 'character-device', devmajor: 1, devminor: 3 } }],
    /device/,
  ],
  [
    'block device',
    () => [{ header: { name: 'sda', type: 'block-device', devmajor: 8, devminor: 0 } }],
    /device/,
  ],
];

for (const [title, entries, message] of hostile) {
  test(`rejects hostile layer: ${title}`, async (t) => {
    const { base, dest, outside } = await scratch(t);
    await writeFile(join(dest, 'pre'), 'lower layer file');
    const tarball = await buildTar(entries(outside));
    await assert.rejects(unpackLayer(Readable.from([tarball]), dest), (e) => {
      assert.ok(isKind(e, 'InvalidParameter'), String(e));
      assert.match(e.message, message);
      return true;
    });
    await assertOutsideUntouched(base, outside);
  });
}

test('a file entry replaces a planted symlink instead of writing through it', async (t) => {
  const { base, dest, outside } = await scratch(t);
  const tarball = await buildTar([
    { header: { name: 's', type: 'symlink', linkname: join(outside, 'secret') } },
    file('s', 'replaced'),
  ]);
  await unpackLayer(Readable.from([tarball]), dest);
  assert.equal(await readFile(join(dest, 's'), 'utf8'), 'replaced');
  assert.ok((await lstat(join(dest, 's'))).isFile());
  await assertOutsideUntouched(base, outside);
});

test('a good layer round-trips modes, owners, symlinks, hardlinks and mtimes', async (t) => {
  const { dest } = await scratch(t);
  const tarball = await buildTar([
    { header: { name: './', type: 'directory', mode: 0o755, mtime } },
    { header: { name: 'd/', type: 'directory', mode: 0o750, uid: 1000, gid: 1001, mtime } },
    file('d/suid', 'hello', { mode: 0o4755, uid: 1, gid: 2 }),
    file('d/sgid', 'x', { mode: 0o2711 }),
    { header: { name: 'd/h', type: 'link', linkname: 'd/suid' } },
    { header: { name: 'd/s', type: 'symlink', linkname: '/etc/passwd', uid: 5, gid: 6, mtime } },
    { header: { name: 'tmp', type: 'directory', mode: 0o1777, mtime } },
    { header: { name: 'p', type: 'fifo', mode: 0o600, mtime } },
    file('deep/er/f', 'implicit parents'),
  ]);
  const r = await unpackLayer(Readable.from([tarball]), dest);
  assert.equal(r.diffId, digestOf(tarball));
  assert.equal(r.size, tarball.length);
  assert.equal(r.contentSize, 5 + 1 + 16);
  const d = await stat(join(dest, 'd'));
  assert.deepEqual(
    [d.mode & 0o7777, d.uid, d.gid, d.mtimeMs],
    [0o750, 1000, 1001, mtime.getTime()],
  );
  const f = await stat(join(dest, 'd/suid'));
  assert.deepEqual([f.mode & 0o7777, f.uid, f.gid, f.mtimeMs], [0o4755, 1, 2, mtime.getTime()]);
  assert.equal((await stat(join(dest, 'd/sgid'))).mode & 0o7777, 0o2711);
  assert.equal((await stat(join(dest, 'd/h'))).ino, f.ino, 'hardlink shares the inode');
  assert.equal(await readlink(join(dest, 'd/s')), '/etc/passwd');
  const s = await lstat(join(dest, 'd/s'));
  assert.deepEqual([s.uid, s.gid, s.mtimeMs], [5, 6, mtime.getTime()]);
  assert.equal((await stat(join(dest, 'tmp'))).mode & 0o7777, 0o1777);
  assert.ok((await lstat(join(dest, 'p'))).isFIFO());
  assert.equal(await readFile(join(dest, 'deep/er/f'), 'utf8'), 'implicit parents');
});

test('gzip and plain tar give the same diff id', async (t) => {
  const { dest } = await scratch(t);
  const tarball = await buildTar([file('a', 'A'.repeat(100_000)), file('b/c', 'C')]);
  const plain = await unpackLayer(Readable.from([tarball]), join(dest));
  const gz = gzipSync(tarball);
  await mkdir(join(dest, '..', 'dest2'));
  t.after(() => rm(join(dest, '..', 'dest2'), { recursive: true, force: true }));
  // Feed the gzip in small chunks so magic-byte detection must stitch the head together.
  const chunks = Array.from({ length: Math.ceil(gz.length / 3) }, (_, i) =>
    gz.subarray(i * 3, i * 3 + 3),
  );
  const zipped = await unpackLayer(Readable.from(chunks), join(dest, '..', 'dest2'));
  assert.deepEqual(zipped, plain);
  assert.equal(plain.diffId, digestOf(tarball));
});

test('OCI whiteouts become overlay whiteouts and opaque dirs', async (t) => {
  const { dest } = await scratch(t);
  const tarball = await buildTar([
    file('etc/.wh.gone', ''),
    file('var/cache/.wh..wh..opq', ''),
    file('.wh..wh.plnk', ''),
  ]);
  await unpackLayer(Readable.from([tarball]), dest);
  const wh = await lstat(join(dest, 'etc/gone'));
  assert.ok(wh.isCharacterDevice());
  assert.equal(wh.rdev, 0);
  const attr = await execFile(
    'getfattr',
    ['--only-values', '-n', 'trusted.overlay.opaque', join(dest, 'var/cache')],
    {
      timeoutMs: 5000,
    },
  );
  assert.equal(attr.stdout, 'y');
  assert.deepEqual((await readdir(dest)).sort(), ['etc', 'var']);
});

test('literal whiteouts are written as plain files', async (t) => {
  const { dest } = await scratch(t);
  await unpackLayer(Readable.from([await buildTar([file('.wh.x', 'kept')])]), dest, {
    whiteouts: 'literal',
  });
  assert.equal(await readFile(join(dest, '.wh.x'), 'utf8'), 'kept');
});

test('bzip2 is NotImplemented; truncated or corrupt input (incl. zstd) is InvalidParameter', async (t) => {
  const { dest } = await scratch(t);
  const bzip2 = Buffer.from([0x42, 0x5a, 0x68, 0x39, 0, 0, 0, 0]);
  await assert.rejects(unpackLayer(Readable.from([bzip2]), dest), (e) =>
    isKind(e, 'NotImplemented'),
  );
  const zstd = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]);
  await assert.rejects(unpackLayer(Readable.from([zstd]), dest), (e) =>
    isKind(e, 'InvalidParameter'),
  );
  const tarball = await buildTar([file('a', 'x'.repeat(5000))]);
  await assert.rejects(unpackLayer(Readable.from([tarball.subarray(0, 1500)]), dest), (e) =>
    isKind(e, 'InvalidParameter'),
  );
  const badGz = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(50, 0xff)]);
  await assert.rejects(unpackLayer(Readable.from([badGz]), dest), (e) =>
    isKind(e, 'InvalidParameter'),
  );
});
