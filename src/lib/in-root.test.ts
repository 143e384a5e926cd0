import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readFileInRoot, resolveInRoot } from './in-root.js';

let base: string; // holds the root and files "outside" it
let root: string;

before(async () => {
  base = await mkdtemp('/tmp/berth-test-');
  root = join(base, 'root');
  await mkdir(join(root, 'etc'), { recursive: true });
  await mkdir(join(root, 'real', 'sub'), { recursive: true });
  await writeFile(join(root, 'etc', 'hostname'), 'inside\n');
  await writeFile(join(root, 'real', 'sub', 'f'), 'in real\n');
  await writeFile(join(root, 'secret'), 'root-level\n');
  await writeFile(join(base, 'secret'), 'HOST SECRET\n');
});

after(async () => {
  await rm(base, { recursive: true, force: true });
});

test('plain paths map under root; "." and repeated slashes are ignored', async () => {
  assert.equal(await resolveInRoot(root, '/etc/hostname'), join(root, 'etc/hostname'));
  assert.equal(await resolveInRoot(root, 'etc//./hostname'), join(root, 'etc/hostname'));
  assert.equal(await resolveInRoot(root, '/'), root);
  assert.equal(await resolveInRoot(root, ''), root);
});

test('".." never climbs above root', async () => {
  assert.equal(await resolveInRoot(root, '/../../../secret'), join(root, 'secret'));
  assert.equal(await resolveInRoot(root, '/etc/../../secret'), join(root, 'secret'));
  assert.equal(await resolveInRoot(root, '/real/sub/../../etc'), join(root, 'etc'));
});

test('absolute symlinks are re-rooted', async () => {
  await symlink('/real/sub', join(root, 'abs-dir'));
  await symlink(join(base, 'secret'), join(root, 'abs-host'));
  assert.equal(await resolveInRoot(root, '/abs-dir/f'), join(root, 'real/sub/f'));
  assert.equal(await resolveInRoot(root, '/abs-host'), join(root, base, 'secret'));
  assert.equal((await readFileInRoot(root, '/abs-dir/f'))?.toString(), 'in real\n');
  assert.equal(await readFileInRoot(root, '/abs-host'), undefined, 'the host file is not read');
});

test('relative symlinks resolve from their directory and are clamped at root', async () => {
  await symlink('../secret', join(root, 'etc', 'rel-up'));
  await symlink('../../../../../secret', join(root, 'etc', 'rel-escape'));
  await symlink('sub/f', join(root, 'real', 'rel-down'));
  assert.equal(await resolveInRoot(root, '/etc/rel-up'), join(root, 'secret'));
  assert.equal(await resolveInRoot(root, '/etc/rel-escape'), join(root, 'secret'));
  assert.equal(await resolveInRoot(root, '/real/rel-down'), join(root, 'real/sub/f'));
  assert.equal((await readFileInRoot(root, '/etc/rel-escape'))?.toString(), 'root-level\n');
});

test('a chain of links is followed; ".." after a link applies to the target', async () => {
  await symlink('/chain-2', join(root, 'chain-1'));
  await symlink('real/sub', join(root, 'chain-2'));
  assert.equal(await resolveInRoot(root, '/chain-1/f'), join(root, 'real/sub/f'));
  // /chain-1 is /real/sub, so its ".." is /real, not the root.
  assert.equal(await resolveInRoot(root, '/chain-1/../sub/f'), join(root, 'real/sub/f'));
});

test('link loops are an error, not a hang', async () => {
  await symlink('loop-b', join(root, 'loop-a'));
  await symlink('/loop-a', join(root, 'loop-b'));
  await symlink('self', join(root, 'self'));
  await assert.rejects(resolveInRoot(root, '/loop-a'), /too many levels of symbolic links/);
  await assert.rejects(resolveInRoot(root, '/self/x'), /too many levels of symbolic links/);
  await assert.rejects(readFileInRoot(root, '/loop-a'), /too many levels of symbolic links/);
});

test('non-existent tails are kept and stay inside root', async () => {
  assert.equal(await resolveInRoot(root, '/nope/a/b'), join(root, 'nope/a/b'));
  for (const p of ['/nope/../../../x', '/etc/nope/../../../../x', '/dangling-target/../..']) {
    const host = await resolveInRoot(root, p);
    assert.ok(host === root || host.startsWith(root + '/'), `${p} -> ${host}`);
  }
  await symlink('/does/not/exist', join(root, 'dangling'));
  assert.equal(await resolveInRoot(root, '/dangling'), join(root, 'does/not/exist'));
  assert.equal(await readFileInRoot(root, '/dangling'), undefined);
});

test('readFileInRoot reads a regular file and returns undefined when it is missing', async () => {
  assert.equal((await readFileInRoot(root, '/etc/hostname'))?.toString(), 'inside\n');
  assert.equal(await readFileInRoot(root, '/etc/missing'), undefined);
  assert.equal(await readFileInRoot(root, '/etc/hostname/below-a-file'), undefined);
});

test('readFileInRoot does not read a directory', async () => {
  assert.equal(await readFileInRoot(root, '/etc'), undefined);
  assert.equal(await readFileInRoot(root, '/'), undefined);
});

test('readFileInRoot does not block on a FIFO', { timeout: 5000 }, async () => {
  execFileSync('mkfifo', [join(root, 'fifo')], { timeout: 5000 });
  await symlink('/fifo', join(root, 'to-fifo'));
  assert.equal(await readFileInRoot(root, '/fifo'), undefined);
  assert.equal(await readFileInRoot(root, '/to-fifo'), undefined);
});

test('readFileInRoot refuses files over the size cap', async () => {
  await writeFile(join(root, 'ten'), '0123456789');
  assert.equal(await readFileInRoot(root, '/ten', 9), undefined);
  assert.equal((await readFileInRoot(root, '/ten', 10))?.toString(), '0123456789');
  assert.equal((await readFileInRoot(root, '/ten'))?.length, 10);
});
