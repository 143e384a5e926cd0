import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { assertMatchesSpec } from '../../compat/spec-check.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

interface State {
  RestartCount: number;
  State: { Status: string; ExitCode: number; Restarting: boolean; Pid: number };
  HostConfig: { RestartPolicy: { Name: string; MaximumRetryCount: number } };
}
const inspect = async (name: string) =>
  (await raw(d.socket, 'GET', `/v1.56/containers/${name}/json`)).json as State;

async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('on-failure:2 restarts a failing container twice, with backoff, then leaves it exited', async () => {
  const r = await docker(d, [
    'run',
    '-d',
    '--name',
    'flaky',
    '--restart',
    'on-failure:2',
    'busybox',
    'sh',
    '-c',
    'exit 4',
  ]);
  assert.equal(r.code, 0, r.stderr);
  await until('two restarts', async () => {
    const s = await inspect('flaky');
    return s.RestartCount === 2 && s.State.Status === 'exited';
  });
  const s = await inspect('flaky');
  assert.equal(s.State.ExitCode, 4);
  assert.deepEqual(s.HostConfig.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 2 });
  await new Promise((r) => setTimeout(r, 600)); // no third restart comes
  assert.equal((await inspect('flaky')).RestartCount, 2);
  assert.equal((await docker(d, ['rm', 'flaky'])).code, 0);
});

test('on-failure does not restart a clean exit; always does, until docker stop', async () => {
  assert.equal(
    (
      await docker(d, [
        'run',
        '-d',
        '--name',
        'clean',
        '--restart',
        'on-failure',
        'busybox',
        'true',
      ])
    ).code,
    0,
  );
  assert.equal(
    (
      await docker(d, [
        'run',
        '-d',
        '--name',
        'loop',
        '--restart',
        'always',
        'busybox',
        'sh',
        '-c',
        'sleep 0.2',
      ])
    ).code,
    0,
  );
  await until('always to restart', async () => (await inspect('loop')).RestartCount >= 2);
  assert.equal((await inspect('clean')).RestartCount, 0);
  assert.equal((await inspect('clean')).State.Status, 'exited');
  const stop = await docker(d, ['stop', '-t', '1', 'loop']);
  assert.equal(stop.code, 0, stop.stderr);
  const count = (await inspect('loop')).RestartCount;
  await new Promise((r) => setTimeout(r, 800));
  const s = await inspect('loop');
  assert.equal(s.State.Status, 'exited');
  assert.equal(s.RestartCount, count, 'a stopped container stays stopped');
  assert.equal((await docker(d, ['rm', 'clean', 'loop'])).code, 0);
});

test('a container waiting for its restart shows Restarting and refuses rm without force', async () => {
  assert.equal(
    (
      await docker(d, [
        'run',
        '-d',
        '--name',
        'crash',
        '--restart',
        'always',
        'busybox',
        'sh',
        '-c',
        'exit 1',
      ])
    ).code,
    0,
  );
  await until(
    'restarting state',
    async () => (await inspect('crash')).State.Status === 'restarting',
    5000,
  );
  const rm = await raw(d.socket, 'DELETE', '/v1.56/containers/crash');
  assert.ok(rm.status === 409 || rm.status === 204, `got ${rm.status}`);
  if (rm.status === 409) {
    assert.match((rm.json as { message: string }).message, /container is (restarting|running)/);
    assert.equal((await docker(d, ['rm', '-f', 'crash'])).code, 0);
  }
  assert.equal((await raw(d.socket, 'GET', '/v1.56/containers/crash/json')).status, 404);
});

test('docker update changes the restart policy; bad policies are 400s', async () => {
  assert.equal((await docker(d, ['create', '--name', 'upd', 'busybox', 'true'])).code, 0);
  const u = await docker(d, ['update', '--restart', 'unless-stopped', 'upd']);
  assert.equal(u.code, 0, u.stderr);
  assert.equal((await inspect('upd')).HostConfig.RestartPolicy.Name, 'unless-stopped');
  const r = await raw(
    d.socket,
    'POST',
    '/v1.56/containers/upd/update',
    JSON.stringify({ RestartPolicy: { Name: 'always' } }),
  );
  assert.equal(r.status, 200);
  assertMatchesSpec('POST', '/containers/{id}/update', 200, r.json);
  const bad = await raw(
    d.socket,
    'POST',
    '/v1.56/containers/upd/update',
    JSON.stringify({ RestartPolicy: { Name: 'sometimes' } }),
  );
  assert.equal(bad.status, 400);
  const retries = await raw(
    d.socket,
    'POST',
    '/v1.56/containers/upd/update',
    JSON.stringify({ RestartPolicy: { Name: 'always', MaximumRetryCount: 3 } }),
  );
  assert.equal(retries.status, 400);
  const mem = await raw(
    d.socket,
    'POST',
    '/v1.56/containers/upd/update',
    JSON.stringify({ CpuRealtimeRuntime: 1000 }),
  );
  assert.equal(mem.status, 400);
  assert.match((mem.json as { message: string }).message, /CpuRealtimeRuntime is not supported/);
  const create = await raw(
    d.socket,
    'POST',
    '/v1.56/containers/create',
    JSON.stringify({
      Image: 'busybox',
      HostConfig: { AutoRemove: true, RestartPolicy: { Name: 'always' } },
    }),
  );
  assert.equal(create.status, 400);
  assert.equal((await docker(d, ['rm', 'upd'])).code, 0);
});

test('at boot: always and unless-stopped come back; a manually stopped unless-stopped stays down', async () => {
  for (const [name, policy] of [
    ['alw', 'always'],
    ['uls', 'unless-stopped'],
    ['uls-stopped', 'unless-stopped'],
    ['none', 'no'],
  ]) {
    assert.equal(
      (
        await docker(d, [
          'run',
          '-d',
          '--name',
          name!,
          '--restart',
          policy!,
          'busybox',
          'sleep',
          '300',
        ])
      ).code,
      0,
    );
  }
  assert.equal((await docker(d, ['stop', '-t', '0', 'uls-stopped', 'alw'])).code, 0);
  const pid = (
    (await raw(d.socket, 'GET', '/v1.56/containers/uls/json')).json as { State: { Pid: number } }
  ).State.Pid;
  await d.stop();
  process.kill(pid, 'SIGKILL'); // `uls` dies while berthd is away: its policy brings it back at boot
  await d.restart();
  assert.equal(
    (await inspect('alw')).State.Status,
    'running',
    'always: restarted at boot even after a manual stop',
  );
  await until('uls to be restarted', async () => (await inspect('uls')).State.Status === 'running');
  assert.equal((await inspect('uls')).RestartCount, 1);
  assert.equal((await inspect('uls-stopped')).State.Status, 'exited');
  assert.equal(
    (await inspect('none')).State.Status,
    'running',
    'still running: containers outlive berthd',
  );
  assert.equal((await docker(d, ['rm', '-f', 'alw', 'uls', 'uls-stopped', 'none'])).code, 0);
});
