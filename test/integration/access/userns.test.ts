import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from '../../../src/lib/exec.js';
import { addSubidRange, dropSubidRange } from '../../helpers/subid-ranges.js';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';

// A remapped daemon for a user this test creates (and deletes): `default` would touch the
// machine's real `berth` user, so its range choice is unit-tested in src/daemon/userns.
const user = `bu${randomBytes(3).toString('hex')}`;
let base = 0;
let d: TestDaemon;

before(async () => {
  const r = await execFile('useradd', ['--system', '--no-create-home', '-U', user], {
    timeoutMs: 30_000,
  });
  assert.equal(r.code, 0, r.stderr);
  // The same start in both files keeps the assertions simple.
  base = await addSubidRange(user);
  d = await startTestDaemon({ extraArgs: ['--userns-remap', user] });
});
after(async () => {
  await d?.cleanup();
  await dropSubidRange(user);
  await execFile('userdel', [user], { timeoutMs: 30_000 });
  await execFile('groupdel', [user], { timeoutMs: 30_000 });
});

/** The parts of `docker inspect` these tests read. */
interface Inspected {
  Id: string;
  State: { Pid: number };
  HostConfig: { UsernsMode: string };
}

async function inspect(name: string): Promise<Inspected> {
  const r = await docker(d, ['inspect', name]);
  assert.equal(r.code, 0, r.stderr);
  const [first] = JSON.parse(r.stdout) as Inspected[];
  assert.ok(first);
  return first;
}

test('storage lives under <data-root>/<uid>.<gid>, owned root:<gid> 0710; info says userns', async () => {
  const st = await stat(join(d.dataRoot, `${base}.${base}`));
  assert.equal(st.uid, 0);
  assert.equal(st.gid, base);
  assert.equal(st.mode & 0o777, 0o710);
  const info = await docker(d, ['info', '--format', '{{json .SecurityOptions}}']);
  assert.match(info.stdout, /name=userns/);
});

test('a default container is root inside and the base uid on the host', async () => {
  const id = await docker(d, ['run', '--rm', 'busybox', 'id']);
  assert.equal(id.code, 0, id.stderr);
  assert.match(id.stdout, /^uid=0\(root\) gid=0\(root\)/);
  const map = await docker(d, ['run', '--rm', 'busybox', 'cat', '/proc/self/uid_map']);
  assert.deepEqual(map.stdout.trim().split(/\s+/), ['0', String(base), '65536']);
  const up = await docker(d, ['run', '-d', '--name', 'sleeper', 'busybox', 'sleep', '600']);
  assert.equal(up.code, 0, up.stderr);
  const pid = (await inspect('sleeper')).State.Pid;
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const uids = /^Uid:\s+(.*)$/m.exec(status)?.[1]?.split(/\s+/);
  const gids = /^Gid:\s+(.*)$/m.exec(status)?.[1]?.split(/\s+/);
  assert.deepEqual(uids, [base, base, base, base].map(String));
  assert.deepEqual(gids, [base, base, base, base].map(String));
});

test('image layers and files the container creates are owned by the remapped root', async () => {
  const r = await docker(d, ['run', '--name', 'maker', 'busybox', 'sh', '-c', 'echo x > /made']);
  assert.equal(r.code, 0, r.stderr);
  const id = (await inspect('maker')).Id;
  const overlay = join(d.dataRoot, `${base}.${base}`, 'overlay');
  const owner = async (path: string) => {
    const st = await stat(path);
    return [st.uid, st.gid];
  };
  assert.deepEqual(await owner(join(overlay, 'containers', id, 'upper', 'made')), [base, base]);
  assert.deepEqual(await owner(join(overlay, 'containers', id, 'init', 'etc/hostname')), [
    base,
    base,
  ]);
  const layers = await readdir(join(overlay, 'layers'));
  assert.ok(layers.length > 0);
  for (const l of layers) {
    assert.deepEqual(await owner(join(overlay, 'layers', l, 'diff')), [base, base]);
    const bin = join(overlay, 'layers', l, 'diff', 'bin');
    if (existsSync(bin)) assert.deepEqual(await owner(bin), [base, base]);
  }
});

test('--userns host runs as the real root', async () => {
  const map = await docker(d, [
    'run',
    '--rm',
    '--userns',
    'host',
    'busybox',
    'cat',
    '/proc/self/uid_map',
  ]);
  assert.equal(map.code, 0, map.stderr);
  assert.deepEqual(map.stdout.trim().split(/\s+/), ['0', '0', '4294967295']);
  const up = await docker(d, [
    'run',
    '-d',
    '--userns',
    'host',
    '--name',
    'hostns',
    'busybox',
    'sleep',
    '600',
  ]);
  assert.equal(up.code, 0, up.stderr);
  const pid = (await inspect('hostns')).State.Pid;
  assert.match(await readFile(`/proc/${pid}/status`, 'utf8'), /^Uid:\s+0\s+0\s+0\s+0$/m);
  assert.equal((await inspect('hostns')).HostConfig.UsernsMode, 'host');
});

test('--privileged, --net host and --pid host need --userns host (Docker messages)', async () => {
  const cases: [string[], RegExp][] = [
    [['--privileged'], /privileged mode is incompatible with user namespaces/],
    [
      ['--net', 'host'],
      /cannot share the host's network namespace when user namespaces are enabled/,
    ],
    [['--pid', 'host'], /cannot share the host PID namespace when user namespaces are enabled/],
  ];
  for (const [flags, message] of cases) {
    const r = await docker(d, ['run', '--rm', ...flags, 'busybox', 'true']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, message);
    const ok = await docker(d, ['run', '--rm', '--userns', 'host', ...flags, 'busybox', 'true']);
    assert.equal(ok.code, 0, ok.stderr);
  }
  const bad = await docker(d, ['create', '--userns', 'nope', 'busybox', 'true']);
  assert.notEqual(bad.code, 0);
});

test('exec runs in the user namespace; a named volume is owned by the remapped root', async () => {
  // --network none here; bridge networks are covered by userns-network.test.ts.
  const up = await docker(d, [
    'run',
    '-d',
    '--network',
    'none',
    '--name',
    'ex',
    'busybox',
    'sleep',
    '600',
  ]);
  assert.equal(up.code, 0, up.stderr);
  const ex = await docker(d, ['exec', 'ex', 'sh', '-c', 'id -u; cat /proc/self/uid_map']);
  assert.equal(ex.code, 0, ex.stderr);
  assert.deepEqual(ex.stdout.trim().split(/\s+/), ['0', '0', String(base), '65536']);
  const r = await docker(d, ['run', '--rm', '-v', 'uvol:/data', 'busybox', 'touch', '/data/f']);
  assert.equal(r.code, 0, r.stderr);
  const data = join(d.dataRoot, `${base}.${base}`, 'volumes', 'uvol', '_data');
  for (const p of [data, join(data, 'f')]) {
    const st = await stat(p);
    assert.deepEqual([st.uid, st.gid], [base, base], p);
  }
  assert.equal((await docker(d, ['volume', 'rm', 'uvol'])).code, 0);
});
