import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdtemp, readdir, readFile, rm, rmdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snapshotterConformance } from './conformance.js';
import { OverlaySnapshotter } from './overlay.js';
import { mountsUnder, unmountPath } from './overlay-mount.js';
import { isKind } from '../../errors/index.js';
import { digestOf } from '../../lib/digest.js';
import { execFile } from '../../lib/exec.js';

/** A snapshotter over a fresh root; on test end every mount under it is undone, then it is deleted. */
async function fresh(t: TestContext): Promise<{ s: OverlaySnapshotter; root: string }> {
  const base = await mkdtemp(join(tmpdir(), 'berth-test-'));
  t.after(async () => {
    for (const m of await mountsUnder(base)) await unmountPath(m);
    await rm(base, { recursive: true, force: true });
  });
  const root = join(base, 'overlay');
  return { s: await OverlaySnapshotter.open(root), root };
}

snapshotterConformance('overlay', async (t) => (await fresh(t)).s);

test('overlay: deletes become whiteouts and recreated dirs opaque in the upper dir', async (t) => {
  const { s } = await fresh(t);
  await s.ensureLayer(digestOf('l'), null, async (dir) => {
    await execFile('mkdir', ['-p', join(dir, 'tmp/sub'), join(dir, 'etc')], { timeoutMs: 5000 });
    await writeFile(join(dir, 'etc/group'), 'g');
    await writeFile(join(dir, 'tmp/sub/f'), 'f');
  });
  await s.prepare('c', [digestOf('l')]);
  const merged = await s.mount('c');
  await rm(join(merged, 'etc/group'));
  await rm(join(merged, 'tmp'), { recursive: true });
  await execFile('mkdir', [join(merged, 'tmp')], { timeoutMs: 5000 });
  const upper = s.upperDir('c');
  const wh = await lstat(join(upper, 'etc/group'));
  assert.ok(wh.isCharacterDevice() && wh.rdev === 0, 'whiteout is a 0:0 char device');
  const opq = await execFile(
    'getfattr',
    ['--only-values', '-n', 'trusted.overlay.opaque', join(upper, 'tmp')],
    {
      timeoutMs: 5000,
    },
  );
  assert.equal(opq.stdout, 'y');
  assert.deepEqual(await readdir(join(upper, 'tmp')), []);
  assert.ok(
    !(await readdir(upper)).includes('dev'),
    'init layer keeps runc mountpoints out of upper',
  );
  await s.remove('c');
});

test('overlay: a 125-layer stack mounts; too deep a stack fails clearly before mount', async (t) => {
  const { s, root } = await fresh(t);
  // Any distinct digests will do as chain ids here.
  const chainOf = (i: number) => digestOf(`chain-${i}`);
  const chains = Array.from({ length: 125 }, (_, i) => chainOf(i));
  for (const [i, c] of chains.entries()) {
    await s.ensureLayer(c, i === 0 ? null : chains[i - 1]!, async (dir) => {
      await writeFile(join(dir, `f${i}`), String(i));
      await writeFile(join(dir, 'top'), String(i));
    });
  }
  await s.prepare('deep', chains);
  const merged = await s.mount('deep');
  assert.equal((await readdir(merged)).filter((n) => n.startsWith('f')).length, 125);
  assert.equal(await readFile(join(merged, 'top'), 'utf8'), '124', 'last layer is on top');
  await s.remove('deep');

  const more = Array.from({ length: 150 }, (_, i) => chainOf(i));
  for (const [i, c] of more.entries())
    if (i >= 125) await s.ensureLayer(c, more[i - 1]!, async () => {});
  await s.prepare('too-deep', more);
  await assert.rejects(
    s.mount('too-deep'),
    (e) => isKind(e, 'InvalidParameter') && /too many layers/.test(e.message),
  );
  assert.deepEqual(await mountsUnder(root), []);
  await s.remove('too-deep');
});

test('overlay: snapshots survive a new instance (daemon restart)', async (t) => {
  const { s, root } = await fresh(t);
  await s.ensureLayer(digestOf('a'), null, async (dir) => writeFile(join(dir, 'a'), 'A'));
  await s.prepare('c', [digestOf('a')]);
  const merged = await s.mount('c');
  const s2 = await OverlaySnapshotter.open(root);
  assert.equal(await s2.mount('c'), merged, 'already mounted: detected, not mounted twice');
  assert.equal((await mountsUnder(root)).length, 1);
  await s2.unmount('c');
  assert.equal(await readFile(join(await s2.mount('c'), 'a'), 'utf8'), 'A');
  await s2.remove('c');
  await symlink('../layers/gone/diff', join(root, 'l', 'DANGLING'));
  await OverlaySnapshotter.open(root);
  assert.deepEqual(await readdir(join(root, 'l')), [
    await readFile(join(root, 'layers', digestOf('a').slice(7), 'link'), 'utf8'),
  ]);
  await rmdir(join(root, 'tmp'));
});
