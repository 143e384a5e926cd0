import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { buildTar } from '../../../src/archive/tar-fixture.js';
import { assertMatchesSpec, assertStatusInSpec } from '../../compat/spec-check.js';
import { bin, readTar, statOf } from './fs-http.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

const archive = (id: string, path: string, extra = ''): string =>
  `/v1.56/containers/${id}/archive?path=${encodeURIComponent(path)}${extra}`;

async function sh(name: string, script: string, detach = true): Promise<void> {
  const args = detach
    ? ['run', '-d', '--name', name, 'busybox', 'sh', '-c', `${script}; exec sleep 300`]
    : ['create', '--name', name, 'busybox', 'sh', '-c', script];
  const r = await docker(d, args);
  assert.equal(r.code, 0, r.stderr);
  if (detach) {
    // wait until the script has run (it touches /ready last)
    for (let i = 0; i < 200; i++) {
      const e = await docker(d, ['exec', name, 'test', '-e', '/ready']);
      if (e.code === 0) return;
      await new Promise((res) => setTimeout(res, 50));
    }
    assert.fail('setup script did not finish');
  }
}

const execOut = async (name: string, cmd: string[]): Promise<string> => {
  const r = await docker(d, ['exec', name, ...cmd]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
};

test('HEAD gives the stat header for files, dirs and links; Docker errors for missing paths', async () => {
  await sh(
    'st',
    'mkdir -p /data/sub && printf hello > /data/f && chmod 4755 /data/f && ln -s /etc/shadow /data/l && touch /ready',
  );
  const f = await bin(d.socket, 'HEAD', archive('st', '/data/f'));
  assert.equal(f.status, 200);
  assertStatusInSpec('HEAD', '/containers/{id}/archive', 200);
  assert.deepEqual(
    { ...statOf(f), mtime: '' },
    { name: 'f', size: 5, mode: 0o755 + 2 ** 23, mtime: '', linkTarget: '' },
  );
  assert.match(statOf(f).mtime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  const dir = statOf(await bin(d.socket, 'HEAD', archive('st', '/data/')));
  assert.equal(dir.name, 'data');
  assert.equal(dir.mode, 2 ** 31 + 0o755);
  const l = statOf(await bin(d.socket, 'HEAD', archive('st', '/data/l')));
  assert.equal(l.linkTarget, '/etc/shadow');
  assert.equal(l.mode & (2 ** 27), 2 ** 27);
  const missing = await bin(d.socket, 'GET', archive('st', '/nope/x'));
  assert.equal(missing.status, 404);
  assertStatusInSpec('GET', '/containers/{id}/archive', 404);
  assert.equal(
    JSON.parse(missing.body.toString()).message,
    'Could not find the file /nope/x in container st',
  );
  assert.equal((await bin(d.socket, 'HEAD', archive('st', '/nope'))).status, 404);
  assert.equal((await bin(d.socket, 'GET', '/v1.56/containers/st/archive')).status, 400);
  assert.equal((await bin(d.socket, 'GET', archive('nosuch', '/'))).status, 404);
  assert.equal((await docker(d, ['rm', '-f', 'st'])).code, 0);
});

test('GET archives a file, a directory recursively, and a link as a link (never the host file)', async () => {
  await sh(
    'get',
    'mkdir -p /data/sub && printf one > /data/a && printf two > /data/sub/b && echo ctr-secret > /etc/shadow && ln -s /etc/shadow /data/l && ln -s / /data/root && touch /ready',
  );
  const r = await bin(d.socket, 'GET', archive('get', '/data'));
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/x-tar');
  assert.equal(statOf(r).name, 'data');
  const entries = await readTar(r.body);
  assert.deepEqual(
    entries.map((e) => e.name),
    ['data/', 'data/a', 'data/l', 'data/root', 'data/sub/', 'data/sub/b'],
  );
  assert.equal(entries.find((e) => e.name === 'data/sub/b')?.content, 'two');
  assert.equal(entries.find((e) => e.name === 'data/l')?.linkname, '/etc/shadow');
  // Contents only (`dir/.`): the root entry is `./` and the children are bare names.
  const dot = await readTar((await bin(d.socket, 'GET', archive('get', '/data/.'))).body);
  assert.deepEqual(dot.map((e) => e.name).slice(0, 3), ['./', 'a', 'l']);
  // The link's target as the CLI asks for it with -L: resolved in the container.
  const target = statOf(await bin(d.socket, 'HEAD', archive('get', '/data/l'))).linkTarget;
  const shadow = await readTar((await bin(d.socket, 'GET', archive('get', target))).body);
  assert.deepEqual(
    shadow.map((e) => [e.name, e.content]),
    [['shadow', 'ctr-secret\n']],
  );
  // A path through a link to / stays in the container: /data/root/etc/shadow is the container's.
  const via = await readTar(
    (await bin(d.socket, 'GET', archive('get', '/data/root/etc/shadow'))).body,
  );
  assert.equal(via[0]?.content, 'ctr-secret\n');
  assert.notEqual(via[0]?.content, await readFile('/etc/shadow', 'utf8'));
  assert.equal((await docker(d, ['rm', '-f', 'get'])).code, 0);
});

test('PUT extracts plain and gzip tars into a directory, with Docker errors', async () => {
  await sh('put', 'mkdir -p /dst && printf x > /dst/file && touch /ready');
  const t = await buildTar([
    { header: { name: 'new/', type: 'directory', mode: 0o750, uid: 42, gid: 43 } },
    { header: { name: 'new/f', mode: 0o640, uid: 42, gid: 43 }, content: 'plain' },
    { header: { name: 'new/h', type: 'link', linkname: 'new/f' } },
  ]);
  const r = await bin(d.socket, 'PUT', archive('put', '/dst'), t);
  assert.equal(r.status, 200, r.body.toString());
  assertStatusInSpec('PUT', '/containers/{id}/archive', 200);
  assert.equal(await execOut('put', ['cat', '/dst/new/f']), 'plain');
  assert.equal(await execOut('put', ['stat', '-c', '%a %u:%g %h', '/dst/new/f']), '640 42:43 2\n');
  const gz = gzipSync(await buildTar([{ header: { name: 'g' }, content: 'zipped' }]));
  assert.equal((await bin(d.socket, 'PUT', archive('put', '/dst'), gz)).status, 200);
  assert.equal(await execOut('put', ['cat', '/dst/g']), 'zipped');
  const notDir = await bin(d.socket, 'PUT', archive('put', '/dst/file'), t);
  assert.equal(notDir.status, 400);
  assert.match(notDir.body.toString(), /extraction point is not a directory/);
  const missing = await bin(d.socket, 'PUT', archive('put', '/nope'), t);
  assert.equal(missing.status, 404);
  assertStatusInSpec('PUT', '/containers/{id}/archive', 404);
  const garbage = await bin(d.socket, 'PUT', archive('put', '/dst'), Buffer.alloc(1024, 7));
  assert.equal(garbage.status, 400);
  assert.equal((await docker(d, ['rm', '-f', 'put'])).code, 0);
});

test('PUT refuses ../, absolute names and devices, and never writes outside the rootfs', async () => {
  await sh(
    'esc',
    'mkdir -p /dst && ln -s / /dst/toroot && ln -s /etc /dst/etclink && touch /ready',
  );
  const marker = `berth-esc-${process.pid}`;
  for (const entries of [
    [{ header: { name: `../../../../../../tmp/${marker}` }, content: 'x' }],
    [{ header: { name: `/tmp/${marker}` }, content: 'x' }],
    [{ header: { name: 'null', type: 'character-device' as const, devmajor: 1, devminor: 3 } }],
    [{ header: { name: 'a/../../b' }, content: 'x' }],
  ]) {
    const r = await bin(d.socket, 'PUT', archive('esc', '/dst'), await buildTar(entries));
    assert.equal(r.status, 400, `${entries[0]?.header.name}: ${r.body.toString()}`);
  }
  // A link planted by the archive, then written through: resolved inside the container.
  const planted = await buildTar([
    { header: { name: 'evil', type: 'symlink', linkname: '/tmp' } },
    { header: { name: `evil/${marker}` }, content: 'through' },
  ]);
  assert.equal((await bin(d.socket, 'PUT', archive('esc', '/dst'), planted)).status, 200);
  assert.equal(await execOut('esc', ['cat', `/tmp/${marker}`]), 'through');
  // Copy into a directory that is a link to /: lands in the container's /, not the host's.
  const into = await buildTar([{ header: { name: marker }, content: 'root' }]);
  assert.equal((await bin(d.socket, 'PUT', archive('esc', '/dst/toroot'), into)).status, 200);
  assert.equal(await execOut('esc', ['cat', `/${marker}`]), 'root');
  const viaEtc = await buildTar([{ header: { name: `etclink/${marker}` }, content: 'etc' }]);
  assert.equal((await bin(d.socket, 'PUT', archive('esc', '/dst'), viaEtc)).status, 200);
  assert.equal(await execOut('esc', ['cat', `/etc/${marker}`]), 'etc');
  for (const p of [`/tmp/${marker}`, `/${marker}`, `/etc/${marker}`])
    assert.equal(existsSync(p), false, `${p} written on the host`);
  assert.equal((await docker(d, ['rm', '-f', 'esc'])).code, 0);
});

test('noOverwriteDirNonDir and copyUIDGID behave as in Docker', async () => {
  const r = await docker(d, [
    'run',
    '-d',
    '--name',
    'own',
    '--user',
    '1234:5678',
    'busybox',
    'sh',
    '-c',
    'mkdir -p /tmp/d/sub && exec sleep 300',
  ]);
  assert.equal(r.code, 0, r.stderr);
  for (
    let i = 0;
    i < 100 && (await docker(d, ['exec', 'own', 'test', '-d', '/tmp/d/sub'])).code !== 0;
    i++
  )
    await new Promise((res) => setTimeout(res, 50));
  const fileOverDir = await buildTar([{ header: { name: 'sub' }, content: 'f' }]);
  const refused = await bin(
    d.socket,
    'PUT',
    archive('own', '/tmp/d', '&noOverwriteDirNonDir=true'),
    fileOverDir,
  );
  assert.equal(refused.status, 400);
  assert.equal(
    JSON.parse(refused.body.toString()).message,
    'cannot overwrite directory "/tmp/d/sub" with non-directory "/tmp/d/sub"',
  );
  assert.equal((await bin(d.socket, 'PUT', archive('own', '/tmp/d'), fileOverDir)).status, 200);
  assert.equal(await execOut('own', ['cat', '/tmp/d/sub']), 'f');
  const owned = await buildTar([{ header: { name: 'o', uid: 7, gid: 8 }, content: 'o' }]);
  assert.equal((await bin(d.socket, 'PUT', archive('own', '/tmp/d'), owned)).status, 200);
  assert.equal(await execOut('own', ['stat', '-c', '%u:%g', '/tmp/d/o']), '7:8\n');
  const asUser = await bin(d.socket, 'PUT', archive('own', '/tmp/d', '&copyUIDGID=true'), owned);
  assert.equal(asUser.status, 200);
  assert.equal(await execOut('own', ['stat', '-c', '%u:%g', '/tmp/d/o']), '1234:5678\n');
  assert.equal((await docker(d, ['rm', '-f', 'own'])).code, 0);
});

test('stopped, paused and read-only containers: state and mounts are left as they were', async () => {
  assert.equal((await docker(d, ['create', '--name', 'stp', 'busybox', 'true'])).code, 0);
  const id = (await docker(d, ['inspect', '-f', '{{.Id}}', 'stp'])).stdout.trim();
  const put = await bin(
    d.socket,
    'PUT',
    archive('stp', '/'),
    await buildTar([{ header: { name: 'hello' }, content: 'stopped' }]),
  );
  assert.equal(put.status, 200);
  const back = await readTar((await bin(d.socket, 'GET', archive('stp', '/hello'))).body);
  assert.equal(back[0]?.content, 'stopped');
  // The GET's release runs after its last byte; a HEAD queues behind it and releases before it answers.
  assert.equal((await bin(d.socket, 'HEAD', archive('stp', '/hello'))).status, 200);
  const mounts = await readFile('/proc/self/mountinfo', 'utf8');
  assert.equal(
    mounts.includes(`${id}/merged`),
    false,
    'rootfs of a stopped container left mounted',
  );

  await sh('pzd', 'touch /ready');
  assert.equal((await docker(d, ['pause', 'pzd'])).code, 0);
  const p = await bin(d.socket, 'GET', archive('pzd', '/ready'));
  assert.equal(p.status, 200);
  assert.equal(
    (await docker(d, ['inspect', '-f', '{{.State.Status}}', 'pzd'])).stdout.trim(),
    'paused',
  );
  assert.equal((await docker(d, ['unpause', 'pzd'])).code, 0);
  // A running container is thawed again after the copy.
  assert.equal((await bin(d.socket, 'HEAD', archive('pzd', '/ready'))).status, 200);
  assert.equal(await execOut('pzd', ['echo', 'alive']), 'alive\n');

  const ro = await docker(d, [
    'run',
    '-d',
    '--read-only',
    '--name',
    'ro',
    'busybox',
    'sleep',
    '300',
  ]);
  assert.equal(ro.code, 0, ro.stderr);
  const denied = await bin(
    d.socket,
    'PUT',
    archive('ro', '/tmp'),
    await buildTar([{ header: { name: 'x' }, content: 'x' }]),
  );
  assert.equal(denied.status, 403);
  assert.match(denied.body.toString(), /read-only/);
  assertStatusInSpec('PUT', '/containers/{id}/archive', 403);
  assert.equal((await docker(d, ['rm', '-f', 'stp', 'pzd', 'ro'])).code, 0);
  void assertMatchesSpec;
});
