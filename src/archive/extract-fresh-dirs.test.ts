import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { Readable } from 'node:stream';
import { extractInto, type ContainerPaths } from './extract-into.js';
import { buildTar, type TestEntry } from './tar-fixture.js';
import { isKind } from '../errors/index.js';

// Directories an extraction creates itself skip the lstat of their new children (see
// parent-resolver.ts); these cases check that the shortcut never misses what is really there.

async function scratch(t: TestContext) {
  const base = await mkdtemp(join(tmpdir(), 'bf-'));
  t.after(() => rm(base, { recursive: true, force: true }));
  const root = join(base, 'root');
  await mkdir(join(root, 'dst'), { recursive: true });
  await mkdir(join(base, 'outside'));
  await writeFile(join(base, 'outside/secret'), 'original');
  return { base, root };
}

const tarOf = async (entries: TestEntry[]) => Readable.from([await buildTar(entries)]);

test('names repeated or swapped in a directory the archive created are replaced', async (t) => {
  const { base, root } = await scratch(t);
  const secret = join(base, 'outside/secret');
  const entries: TestEntry[] = [
    { header: { name: 'n/', type: 'directory', mode: 0o755 } },
    { header: { name: 'n/f' }, content: 'one' },
    { header: { name: 'n/f' }, content: 'two' },
    { header: { name: 'n/s', type: 'symlink', linkname: secret } },
    { header: { name: 'n/s' }, content: 'new' }, // replaces the link, never writes through it
    { header: { name: 'n/d/', type: 'directory' } },
    { header: { name: 'n/d' }, content: 'file now' },
    { header: { name: 'n/e' }, content: 'e' },
    { header: { name: 'n/e/', type: 'directory', mode: 0o700 } },
    { header: { name: 'n/', type: 'directory', mode: 0o750 } }, // listed again: kept
    { header: { name: 'p/q/f' }, content: 'a' }, // p/q made by the resolver
    { header: { name: 'p/q/f' }, content: 'b' },
  ];
  await extractInto(root, '/dst', await tarOf(entries), { noOverwriteDirNonDir: false });
  const dst = join(root, 'dst');
  assert.equal(await readFile(secret, 'utf8'), 'original');
  assert.equal(await readFile(join(dst, 'n/f'), 'utf8'), 'two');
  assert.equal((await lstat(join(dst, 'n/s'))).isFile(), true);
  assert.equal(await readFile(join(dst, 'n/s'), 'utf8'), 'new');
  assert.equal(await readFile(join(dst, 'n/d'), 'utf8'), 'file now');
  assert.equal((await lstat(join(dst, 'n/e'))).mode & 0o7777, 0o700);
  assert.equal((await lstat(join(dst, 'n'))).mode & 0o7777, 0o750);
  assert.equal(await readFile(join(dst, 'p/q/f'), 'utf8'), 'b');
});

test('a name written through a second path to a fresh directory is still replaced', async (t) => {
  const { base, root } = await scratch(t);
  await mkdir(join(root, 'm1'));
  await symlink(join(root, 'm1'), join(base, 'alias')); // the host's own link: /m2 shows /m1
  const hostOf = (p: string): string =>
    p === '/m2' || p.startsWith('/m2/') ? join(base, 'alias', p.slice(3)) : posix.join(root, p);
  const paths: ContainerPaths = {
    resolve: (p) => Promise.resolve({ path: p, host: hostOf(p) }),
    host: hostOf,
  };
  const entries: TestEntry[] = [
    { header: { name: 'm1/new/', type: 'directory' } },
    { header: { name: 'm2/new/g' }, content: 'via m2' },
    { header: { name: 'm1/new/g' }, content: 'via m1' }, // exists, though its dir is fresh
  ];
  await extractInto(root, '/', await tarOf(entries), { noOverwriteDirNonDir: false, paths });
  assert.equal(await readFile(join(root, 'm1/new/g'), 'utf8'), 'via m1');
});

test('an archive cut inside a file body is InvalidParameter, not a hang', async (t) => {
  const { root } = await scratch(t);
  const whole = await buildTar([
    { header: { name: 'a' }, content: 'x'.repeat(3000) },
    { header: { name: 'b' }, content: 'y'.repeat(3000) },
  ]);
  const cut = Readable.from([whole.subarray(0, 512 + 3584 + 512 + 1000)]);
  await assert.rejects(extractInto(root, '/dst', cut, { noOverwriteDirNonDir: false }), (e) =>
    isKind(e, 'InvalidParameter'),
  );
});
