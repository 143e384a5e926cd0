import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isKind } from '../../errors/index.js';
import { resolveUser } from './user.js';

const passwd = [
  'root:x:0:0:root:/root:/bin/sh',
  'daemon:x:1:1:daemon:/usr/sbin:/bin/false',
  'alice:x:1000:1000:Alice:/home/alice:/bin/sh',
  'bob:x:1001:100::/home/bob:/bin/sh',
  'nobody:x:65534:65534:nobody:/nonexistent:/bin/false',
  'broken line without fields',
  'bad:x:notanumber:0::/:/bin/sh',
  '',
].join('\n');

const group = [
  'root:x:0:',
  'wheel:x:10:alice',
  'staff:x:50:bob',
  'users:x:100:alice,bob',
  'alice:x:1000:',
  'nogroup:x:65534:',
].join('\n');

/** A passwd line that must never be seen: it would map `root` to uid 4444. */
const evilPasswd = 'root:x:4444:4444:evil:/evil:/bin/sh\nevil:x:4445:4445::/evil:/bin/sh\n';

let base: string;
let rootfs: string;

/** A fresh rootfs under base whose etc/ holds `files` (name → content). */
async function makeRootfs(name: string, files: Record<string, string> = {}): Promise<string> {
  const dir = join(base, name);
  await mkdir(join(dir, 'etc'), { recursive: true });
  for (const [f, text] of Object.entries(files)) await writeFile(join(dir, 'etc', f), text);
  return dir;
}

before(async () => {
  base = await mkdtemp('/tmp/berth-test-');
  rootfs = await makeRootfs('ok', { passwd, group });
  await writeFile(join(base, 'evil-passwd'), evilPasswd);
});

after(async () => {
  await rm(base, { recursive: true, force: true });
});

function notFound(e: unknown, what: string): boolean {
  return isKind(e, 'System') && (e as Error).message === what;
}

test("'' is root, 0:0, with root's home", async () => {
  assert.deepEqual(await resolveUser(rootfs, ''), {
    uid: 0,
    gid: 0,
    additionalGids: [],
    home: '/root',
  });
});

test('a name resolves its uid, primary gid, home and member groups', async () => {
  assert.deepEqual(await resolveUser(rootfs, 'nobody'), {
    uid: 65534,
    gid: 65534,
    additionalGids: [],
    home: '/nonexistent',
  });
  assert.deepEqual(await resolveUser(rootfs, 'alice'), {
    uid: 1000,
    gid: 1000,
    additionalGids: [10, 100],
    home: '/home/alice',
  });
});

test('a member group equal to the primary gid is not repeated', async () => {
  const bob = await resolveUser(rootfs, 'bob');
  assert.deepEqual([bob.uid, bob.gid, bob.additionalGids], [1001, 100, [50]]);
});

test('a numeric uid in passwd resolves like the name', async () => {
  assert.deepEqual(await resolveUser(rootfs, '65534'), await resolveUser(rootfs, 'nobody'));
  assert.deepEqual(await resolveUser(rootfs, '1000'), await resolveUser(rootfs, 'alice'));
});

test('a numeric uid not in passwd runs as that uid with gid 0 and home /', async () => {
  assert.deepEqual(await resolveUser(rootfs, '4242'), {
    uid: 4242,
    gid: 0,
    additionalGids: [],
    home: '/',
  });
});

test('uid:gid and name:group pick the group explicitly', async () => {
  const numeric = await resolveUser(rootfs, '4242:4343');
  assert.deepEqual([numeric.uid, numeric.gid], [4242, 4343]);
  const named = await resolveUser(rootfs, 'alice:staff');
  assert.deepEqual([named.uid, named.gid, named.home], [1000, 50, '/home/alice']);
  const mixed = await resolveUser(rootfs, '1001:nogroup');
  assert.deepEqual([mixed.uid, mixed.gid], [1001, 65534]);
  const groupOnly = await resolveUser(rootfs, ':users');
  assert.deepEqual([groupOnly.uid, groupOnly.gid], [0, 100]);
  const emptyGroup = await resolveUser(rootfs, 'alice:');
  assert.deepEqual([emptyGroup.uid, emptyGroup.gid], [1000, 1000]);
});

test("an unknown user name is Docker's 'no matching entries in passwd file'", async () => {
  for (const name of ['mallory', 'bad', 'ROOT', 'broken line without fields']) {
    await assert.rejects(resolveUser(rootfs, name), (e) =>
      notFound(e, `unable to find user ${name}: no matching entries in passwd file`),
    );
  }
});

test("an unknown group name is Docker's 'no matching entries in group file'", async () => {
  await assert.rejects(resolveUser(rootfs, 'alice:nosuch'), (e) =>
    notFound(e, 'unable to find group nosuch: no matching entries in group file'),
  );
});

test('without /etc/passwd and /etc/group only numeric ids resolve', async () => {
  const empty = await makeRootfs('empty');
  const root = await resolveUser(empty, '');
  assert.deepEqual([root.uid, root.gid, root.additionalGids], [0, 0, []]);
  const numeric = await resolveUser(empty, '123:456');
  assert.deepEqual([numeric.uid, numeric.gid, numeric.additionalGids], [123, 456, []]);
  await assert.rejects(resolveUser(empty, 'root'), (e) =>
    notFound(e, 'unable to find user root: no matching entries in passwd file'),
  );
});

/** Asserts that `r` sees no passwd entries: 'root' and 'evil' are unknown, '' is plain 0:0. */
async function seesNoPasswd(r: string): Promise<void> {
  for (const name of ['root', 'evil']) {
    await assert.rejects(resolveUser(r, name), (e) =>
      notFound(e, `unable to find user ${name}: no matching entries in passwd file`),
    );
  }
  const root = await resolveUser(r, '');
  assert.deepEqual([root.uid, root.gid], [0, 0]);
}

test('SECURITY: an absolute /etc/passwd link to a host file is resolved inside the rootfs', async () => {
  const r = await makeRootfs('abs', { group });
  await symlink(join(base, 'evil-passwd'), join(r, 'etc', 'passwd'));
  await seesNoPasswd(r);
});

test('SECURITY: /etc/passwd linked to the host /etc/shadow is not read', async () => {
  // A shadow line such as `root:*:19000:0:99999:7:::` would parse as root with uid 19000.
  const r = await makeRootfs('shadow', { group });
  await symlink('/etc/shadow', join(r, 'etc', 'passwd'));
  await seesNoPasswd(r);
});

test('SECURITY: a relative /etc/passwd link climbing out of the rootfs is clamped', async () => {
  for (const [i, target] of [
    '../../evil-passwd', // from <base>/relN/etc this is <base>/evil-passwd on the host
    '../../../../outside',
    '../'.repeat(12) + join(base, 'evil-passwd').slice(1),
  ].entries()) {
    const r = await makeRootfs(`rel${i}`, { group });
    await symlink(target, join(r, 'etc', 'passwd'));
    await seesNoPasswd(r);
  }
});

test('SECURITY: an /etc directory linked to a host directory is resolved inside the rootfs', async () => {
  await mkdir(join(base, 'hostetc'));
  await writeFile(join(base, 'hostetc', 'passwd'), evilPasswd);
  const r = join(base, 'etc-link');
  await mkdir(r);
  await symlink(join(base, 'hostetc'), join(r, 'etc'));
  await seesNoPasswd(r);
});

test('an absolute link inside the rootfs is followed there', async () => {
  const r = await makeRootfs('inside', { 'passwd.real': passwd, group });
  await symlink('/etc/passwd.real', join(r, 'etc', 'passwd'));
  assert.equal((await resolveUser(r, 'alice')).uid, 1000);
});

test('a FIFO or a directory as /etc/passwd is ignored, not read or waited on', async () => {
  const fifo = await makeRootfs('fifo', { group });
  execFileSync('mkfifo', [join(fifo, 'etc', 'passwd')], { timeout: 5000 });
  await seesNoPasswd(fifo);
  const dir = await makeRootfs('dir', { group });
  await mkdir(join(dir, 'etc', 'passwd'));
  await seesNoPasswd(dir);
});
