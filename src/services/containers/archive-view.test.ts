import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { hostOf, mountOf, resolveInView, type ArchiveView } from './archive-view.js';
import type { ResolvedMount } from './mounts/types.js';

// A fake stopped container: a rootfs and a volume directory mapped at /data, both plain dirs.
let base: string;
let view: ArchiveView;
const mount = (destination: string, rw: boolean): ResolvedMount => ({
  type: 'volume',
  destination,
  source: 'v',
  rw,
  mode: '',
  propagation: '',
});

before(async () => {
  base = await mkdtemp(join(tmpdir(), 'cpv-'));
  const root = join(base, 'root');
  const vol = join(base, 'vol');
  await mkdir(join(root, 'etc'), { recursive: true });
  await mkdir(join(root, 'data'), { recursive: true });
  await writeFile(join(root, 'etc/passwd'), 'ctr');
  await writeFile(join(root, 'data/under'), 'hidden by the volume');
  await mkdir(join(vol, 'sub'), { recursive: true });
  await writeFile(join(vol, 'f'), 'vol');
  await symlink('/', join(vol, 'toroot'));
  await symlink('../../..', join(vol, 'sub/up'));
  await symlink('/etc', join(vol, 'etc'));
  await symlink('/data/sub', join(root, 'tosub'));
  view = { root, mapped: [{ destination: '/data', host: vol }], mounts: [mount('/data', false)] };
});
after(async () => {
  await rm(base, { recursive: true, force: true });
});

test('hostOf maps a path under a mapped mount to its host dir, others under the root', () => {
  assert.equal(hostOf(view, '/data'), join(base, 'vol'));
  assert.equal(hostOf(view, '/data/f'), join(base, 'vol/f'));
  assert.equal(hostOf(view, '/database'), join(base, 'root/database'));
  // With the slash: lstat of /proc/<pid>/root/ must follow the magic link, not report it.
  assert.equal(hostOf(view, '/'), `${join(base, 'root')}/`);
});

test('mountOf finds the deepest mount holding a path', () => {
  const v = { ...view, mounts: [mount('/a', true), mount('/a/b', false)] };
  assert.equal(mountOf(v, '/a/b/c')?.destination, '/a/b');
  assert.equal(mountOf(v, '/a/bc')?.destination, '/a');
  assert.equal(mountOf(v, '/x'), undefined);
});

test('resolveInView: links inside a mount resolve in the container, never on the host', async () => {
  assert.deepEqual(await resolveInView(view, '/data/f'), {
    path: '/data/f',
    host: join(base, 'vol/f'),
  });
  // `/` from inside the volume is the container's root.
  assert.deepEqual(await resolveInView(view, '/data/toroot/etc/passwd'), {
    path: '/etc/passwd',
    host: join(base, 'root/etc/passwd'),
  });
  // `..` past the volume's top climbs into the container, and stops at its root.
  assert.equal((await resolveInView(view, '/data/sub/up/etc')).host, join(base, 'root/etc'));
  assert.equal((await resolveInView(view, '/data/etc/passwd')).path, '/etc/passwd');
  // A rootfs link into the mount lands in the volume.
  assert.equal((await resolveInView(view, '/tosub/up')).path, '/');
  assert.equal((await resolveInView(view, '/../../data/f')).host, join(base, 'vol/f'));
});

test('resolveInView keeps missing components, dropping `..` after them', async () => {
  assert.deepEqual(await resolveInView(view, '/data/new/../x'), {
    path: '/data/new/x',
    host: join(base, 'vol/new/x'),
  });
});
