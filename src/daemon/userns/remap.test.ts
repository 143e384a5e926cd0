import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseRemapSpec, resolveRemap } from './remap.js';

/** A fake /etc: resolveRemap reads and appends only under etcDir while the user exists there. */
async function fakeEtc(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp('/tmp/betc-');
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

const passwd =
  'root:x:0:0::/root:/bin/sh\nberth:x:998:997::/:/bin/false\nbob:x:1000:1000::/:/bin/sh\n';
const group = 'root:x:0:\nberth:x:997:\nbob:x:1000:\nstaff:x:50:\n';

test('parseRemapSpec: default, user, user:group; junk refused', () => {
  assert.deepEqual(parseRemapSpec('default'), { user: 'berth', group: 'berth' });
  assert.deepEqual(parseRemapSpec('bob'), { user: 'bob', group: undefined });
  assert.deepEqual(parseRemapSpec('1000:50'), { user: '1000', group: '50' });
  assert.throws(() => parseRemapSpec('bob:'), /invalid --userns-remap/);
  assert.throws(() => parseRemapSpec('a b'), /invalid --userns-remap/);
});

test('default: a user without ranges gets a free 65536-id range in subuid and subgid', async () => {
  const etc = await fakeEtc({
    passwd,
    group,
    subuid: 'bob:100000:65536',
    subgid: 'bob:100000:65536\n',
  });
  try {
    const logs: string[] = [];
    const r = await resolveRemap('default', { etcDir: etc, log: (m) => logs.push(m) });
    assert.equal(r.rootUid, 165536);
    assert.equal(r.rootGid, 165536);
    assert.deepEqual(r.uidMappings, [{ containerID: 0, hostID: 165536, size: 65536 }]);
    assert.equal(
      await readFile(join(etc, 'subuid'), 'utf8'),
      'bob:100000:65536\nberth:165536:65536\n',
    );
    assert.equal(
      await readFile(join(etc, 'subgid'), 'utf8'),
      'bob:100000:65536\nberth:165536:65536\n',
    );
    // A second start finds the ranges and adds nothing.
    const again = await resolveRemap('default', { etcDir: etc, log: (m) => logs.push(m) });
    assert.equal(again.rootUid, 165536);
    assert.equal((await readFile(join(etc, 'subuid'), 'utf8')).split('\n').length, 3);
  } finally {
    await rm(etc, { recursive: true, force: true });
  }
});

test('user[:group] by name or id, several ranges concatenated; missing ones refused', async () => {
  const etc = await fakeEtc({
    passwd,
    group,
    subuid: 'bob:200000:1000\n1000:300000:500\n',
    subgid: 'staff:400000:65536\n',
  });
  try {
    const files = { etcDir: etc, log: () => undefined };
    const r = await resolveRemap('1000:staff', files);
    assert.equal(r.user, 'bob');
    assert.equal(r.group, 'staff');
    assert.deepEqual(r.uidMappings, [
      { containerID: 0, hostID: 200000, size: 1000 },
      { containerID: 1000, hostID: 300000, size: 500 },
    ]);
    assert.deepEqual(r.gidMappings, [{ containerID: 0, hostID: 400000, size: 65536 }]);
    await assert.rejects(resolveRemap('bob', files), /no subgid for bob ranges/);
    await assert.rejects(resolveRemap('nobody-here', files), /no such user: nobody-here/);
    await assert.rejects(resolveRemap('bob:nogroup', files), /no such group: nogroup/);
  } finally {
    await rm(etc, { recursive: true, force: true });
  }
});
