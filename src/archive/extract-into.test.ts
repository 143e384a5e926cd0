import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import {
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readlink,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { extractInto } from './extract-into.js';
import { buildTar, type TestEntry } from './tar-fixture.js';
import { isKind } from '../errors/index.js';

/** base/root is a fake container rootfs; base/outside must never change. */
async function scratch(t: TestContext) {
  const base = await mkdtemp(join(tmpdir(), 'bx-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  const root = join(base, 'root');
  await mkdir(join(root, 'dst'), { recursive: true });
  await mkdir(join(base, 'outside'));
  await symlink('/', join(root, 'dst', 'toroot')); // absolute: resolved in the root
  await symlink(join(base, 'outside'), join(root, 'hostlink')); // points at the host's outside
  return { base, root };
}

const put = async (root: string, dir: string, entries: TestEntry[], noOverwrite = false) =>
  extractInto(root, dir, Readable.from([await buildTar(entries)]), {
    noOverwriteDirNonDir: noOverwrite,
  });

test('files, dirs, links and hard links land with their modes and owners', async (t) => {
  const { root } = await scratch(t);
  await put(root, '/dst', [
    { header: { name: 'a/', type: 'directory', mode: 0o750, uid: 5, gid: 6 } },
    { header: { name: 'a/f', mode: 0o4755, uid: 5, gid: 6 }, content: 'x' },
    { header: { name: 'a/h', type: 'link', linkname: 'a/f' } },
    { header: { name: 'a/s', type: 'symlink', linkname: '/etc/shadow' } },
  ]);
  const f = await lstat(join(root, 'dst/a/f'));
  assert.equal(f.mode & 0o7777, 0o4755);
  assert.deepEqual([f.uid, f.gid, f.nlink], [5, 6, 2]);
  assert.equal((await lstat(join(root, 'dst/a'))).mode & 0o7777, 0o750);
  assert.equal(await readlink(join(root, 'dst/a/s')), '/etc/shadow');
});

test('gzip input is accepted', async (t) => {
  const { root } = await scratch(t);
  const gz = gzipSync(await buildTar([{ header: { name: 'z' }, content: 'zz' }]));
  await extractInto(root, '/dst', Readable.from([gz]), { noOverwriteDirNonDir: false });
  assert.equal(await readFile(join(root, 'dst/z'), 'utf8'), 'zz');
});

test('hostile names, devices and foreign hard links are refused with InvalidParameter', async (t) => {
  const { base, root } = await scratch(t);
  for (const entries of [
    [{ header: { name: '../../outside/x' }, content: 'x' }],
    [{ header: { name: '/outside/x' }, content: 'x' }],
    [{ header: { name: 'dev', type: 'block-device' as const, devmajor: 8, devminor: 0 } }],
    [{ header: { name: 'h', type: 'link' as const, linkname: '../hostlink/x' } }],
    [{ header: { name: 'h', type: 'link' as const, linkname: 'not-in-archive' } }],
  ]) {
    await assert.rejects(put(root, '/dst', entries), (e) => isKind(e, 'InvalidParameter'));
  }
  assert.equal(existsSync(join(base, 'outside/x')), false);
});

test('links in the root and planted by the archive resolve inside the root', async (t) => {
  const { base, root } = await scratch(t);
  await put(root, '/dst', [
    { header: { name: 'toroot/hostlink/x' }, content: 'a' }, // /hostlink is a link to the host
    { header: { name: 'planted', type: 'symlink', linkname: join(base, 'outside') } },
    { header: { name: 'planted/y' }, content: 'b' },
  ]);
  assert.equal(existsSync(join(base, 'outside/x')), false);
  assert.equal(existsSync(join(base, 'outside/y')), false);
  // Both were resolved relative to the root: the host path re-rooted inside it.
  assert.equal(await readFile(join(root, base, 'outside/x'), 'utf8'), 'a');
  assert.equal(await readFile(join(root, base, 'outside/y'), 'utf8'), 'b');
});

test('an existing link as the last component is replaced, never written through', async (t) => {
  const { base, root } = await scratch(t);
  await writeFile(join(base, 'outside/secret'), 'original');
  await symlink(join(base, 'outside/secret'), join(root, 'dst/victim'));
  await put(root, '/dst', [{ header: { name: 'victim' }, content: 'new' }]);
  assert.equal(await readFile(join(base, 'outside/secret'), 'utf8'), 'original');
  assert.equal(await readFile(join(root, 'dst/victim'), 'utf8'), 'new');
});

test('noOverwriteDirNonDir refuses dir/non-dir swaps; without it they replace', async (t) => {
  const { root } = await scratch(t);
  await mkdir(join(root, 'dst/d'));
  await writeFile(join(root, 'dst/f'), 'f');
  await assert.rejects(
    put(root, '/dst', [{ header: { name: 'd' }, content: 'x' }], true),
    /cannot overwrite directory "\/dst\/d" with non-directory "\/dst\/d"/,
  );
  await assert.rejects(
    put(root, '/dst', [{ header: { name: 'f/', type: 'directory' } }], true),
    /cannot overwrite non-directory "\/dst\/f" with directory "\/dst\/f"/,
  );
  await put(root, '/dst', [{ header: { name: 'd' }, content: 'x' }]);
  assert.equal(await readFile(join(root, 'dst/d'), 'utf8'), 'x');
});

test('owner override applies one uid/gid to every entry', async (t) => {
  const { root } = await scratch(t);
  await extractInto(
    root,
    '/dst',
    Readable.from([await buildTar([{ header: { name: 'o', uid: 1, gid: 2 }, content: 'o' }])]),
    { noOverwriteDirNonDir: false, owner: { uid: 33, gid: 44 } },
  );
  const st = await lstat(join(root, 'dst/o'));
  assert.deepEqual([st.uid, st.gid], [33, 44]);
});
