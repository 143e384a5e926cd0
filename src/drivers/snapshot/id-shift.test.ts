import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmod,
  chown,
  link,
  lstat,
  mkdir,
  mkdtemp,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { shiftOwnership, toHostId } from './id-shift.js';

const shift = {
  uids: [
    { containerID: 0, hostID: 200000, size: 1000 },
    { containerID: 1000, hostID: 500000, size: 10 },
  ],
  gids: [{ containerID: 0, hostID: 300000, size: 65536 }],
};

test('toHostId maps through several ranges and refuses ids outside them', () => {
  assert.equal(toHostId(shift.uids, 0, 'uid'), 200000);
  assert.equal(toHostId(shift.uids, 999, 'uid'), 200999);
  assert.equal(toHostId(shift.uids, 1005, 'uid'), 500005);
  assert.throws(() => toHostId(shift.uids, 1010, 'uid'), /container uid 1010 cannot be mapped/);
});

test('shiftOwnership re-owns files, dirs, symlinks, hard links once, and keeps setuid', async () => {
  const root = await mkdtemp('/tmp/bshift-');
  try {
    await mkdir(join(root, 'd'));
    await writeFile(join(root, 'd/f'), 'x');
    await chown(join(root, 'd/f'), 5, 7);
    await link(join(root, 'd/f'), join(root, 'hard'));
    await writeFile(join(root, 'suid'), '');
    await chmod(join(root, 'suid'), 0o4755);
    await symlink('/nowhere', join(root, 'ln'));
    await shiftOwnership(root, shift);
    const own = async (p: string) => {
      const s = await lstat(join(root, p));
      return [s.uid, s.gid];
    };
    assert.deepEqual(await own(''), [200000, 300000]);
    assert.deepEqual(await own('d'), [200000, 300000]);
    assert.deepEqual(await own('d/f'), [200005, 300007], 'a hard link is shifted once');
    assert.deepEqual(await own('ln'), [200000, 300000]);
    assert.equal((await lstat(join(root, 'suid'))).mode & 0o7777, 0o4755);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
