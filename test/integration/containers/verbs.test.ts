import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { assertMatchesSpec, assertStatusInSpec } from '../../compat/spec-check.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

const post = (path: string) => raw(d.socket, 'POST', `/v1.56${path}`);
const inspect = async (id: string) =>
  (await raw(d.socket, 'GET', `/v1.56/containers/${id}/json`)).json as {
    Name: string;
    State: {
      Status: string;
      Paused: boolean;
      Running: boolean;
      StartedAt: string;
      ExitCode: number;
    };
  };

async function running(name: string): Promise<string> {
  const r = await docker(d, ['run', '-d', '--name', name, 'busybox', 'sleep', '300']);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

test('pause and unpause freeze and thaw the container, with Docker answers for wrong states', async () => {
  const id = await running('pz');
  const p = await post(`/containers/${id}/pause`);
  assert.equal(p.status, 204);
  assertStatusInSpec('POST', '/containers/{id}/pause', 204);
  const s = await inspect(id);
  assert.equal(s.State.Status, 'paused');
  assert.equal(s.State.Paused, true);
  const freezer = `/sys/fs/cgroup/freezer${d.cgroupParent}/${id}/freezer.state`;
  const { readFile } = await import('node:fs/promises');
  assert.equal((await readFile(freezer, 'utf8').catch(() => 'FROZEN\n')).trim(), 'FROZEN');
  const again = await post(`/containers/${id}/pause`);
  assert.equal(again.status, 409); // dockerd's answer; the spec lists only 204/404/500 here
  assert.match((again.json as { message: string }).message, /is already paused/);
  const ps = await docker(d, ['ps', '--format', '{{.Status}}']);
  assert.match(ps.stdout, /\(Paused\)/);
  assert.equal((await docker(d, ['unpause', 'pz'])).code, 0);
  assert.equal((await inspect(id)).State.Status, 'running');
  const notPaused = await post(`/containers/${id}/unpause`);
  assert.equal(notPaused.status, 409);
  assert.match((notPaused.json as { message: string }).message, /is not paused/);
  // Killing a paused container works: it is thawed after SIGKILL.
  assert.equal((await docker(d, ['pause', 'pz'])).code, 0);
  assert.equal((await docker(d, ['rm', '-f', 'pz'])).code, 0);
  assert.equal((await raw(d.socket, 'GET', `/v1.56/containers/${id}/json`)).status, 404);
});

test('restart stops and starts again: new StartedAt, same container', async () => {
  const id = await running('rs');
  const before = (await inspect(id)).State.StartedAt;
  const r = await post(`/containers/${id}/restart?t=0`);
  assert.equal(r.status, 204);
  assertStatusInSpec('POST', '/containers/{id}/restart', 204);
  const after = await inspect(id);
  assert.equal(after.State.Status, 'running');
  assert.notEqual(after.State.StartedAt, before);
  const cli = await docker(d, ['restart', '-t', '0', 'rs']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal(cli.stdout, 'rs\n');
  assert.equal((await post('/containers/nosuch/restart')).status, 404);
  await docker(d, ['rm', '-f', 'rs']);
});

test('rename moves the name atomically; taken and invalid names are refused', async () => {
  const a = await running('old-name');
  await running('taken');
  const r = await post(`/containers/${a}/rename?name=new-name`);
  assert.equal(r.status, 204);
  assertStatusInSpec('POST', '/containers/{id}/rename', 204);
  assert.equal((await inspect(a)).Name, '/new-name');
  const taken = await post(`/containers/${a}/rename?name=taken`);
  assert.equal(taken.status, 409);
  assertMatchesSpec('POST', '/containers/{id}/rename', 409, taken.json);
  assert.match(
    (taken.json as { message: string }).message,
    /The container name "\/taken" is already in use/,
  );
  const bad = await post(`/containers/${a}/rename?name=no%20spaces`);
  assert.equal(bad.status, 400);
  const cli = await docker(d, ['rename', 'new-name', 'cli-name']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal((await inspect(a)).Name, '/cli-name');
  // The old name is free again.
  const reuse = await docker(d, ['create', '--name', 'old-name', 'busybox', 'true']);
  assert.equal(reuse.code, 0, reuse.stderr);
  await docker(d, ['rm', '-f', 'cli-name', 'taken', 'old-name']);
});

test('top lists the container processes with ps columns', async () => {
  const id = await running('tp');
  const r = await raw(d.socket, 'GET', `/v1.56/containers/${id}/top`);
  assert.equal(r.status, 200);
  assertMatchesSpec('GET', '/containers/{id}/top', 200, r.json);
  const top = r.json as { Titles: string[]; Processes: string[][] };
  assert.ok(top.Titles.includes('PID'));
  assert.equal(top.Processes.length, 1);
  assert.match(top.Processes[0]?.at(-1) ?? '', /sleep 300/);
  const cli = await docker(d, ['top', 'tp', '-o', 'pid,comm']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /PID\s+COMMAND\n\d+\s+sleep\n/);
  await docker(d, ['stop', '-t', '0', 'tp']);
  const stopped = await raw(d.socket, 'GET', `/v1.56/containers/${id}/top`);
  assert.equal(stopped.status, 409);
  await docker(d, ['rm', 'tp']);
});

test('container prune removes stopped containers only, honouring label filters', async () => {
  const keep = await running('alive');
  for (const [name, label] of [
    ['p1', 'x=1'],
    ['p2', 'x=2'],
  ] as const) {
    assert.equal(
      (await docker(d, ['create', '--name', name, '--label', label, 'busybox', 'true'])).code,
      0,
    );
  }
  const r = await raw(
    d.socket,
    'POST',
    `/v1.56/containers/prune?filters=${encodeURIComponent('{"label":["x=1"]}')}`,
  );
  assert.equal(r.status, 200);
  assertMatchesSpec('POST', '/containers/prune', 200, r.json);
  assert.equal((r.json as { ContainersDeleted: string[] }).ContainersDeleted.length, 1);
  const cli = await docker(d, ['container', 'prune', '-f']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /Deleted Containers:\n[0-9a-f]{64}\n/);
  const left = await docker(d, [
    'ps',
    '-a',
    '--no-trunc',
    '--format',
    '{{.ID}} {{.Names}} {{.Status}}',
  ]);
  assert.match(left.stdout, new RegExp(`^${keep} alive Up `));
  assert.equal(left.stdout.trim().split('\n').length, 1, left.stdout);
  const bad = await raw(
    d.socket,
    'POST',
    `/v1.56/containers/prune?filters=${encodeURIComponent('{"bogus":["1"]}')}`,
  );
  assert.equal(bad.status, 400);
  await docker(d, ['rm', '-f', 'alive']);
});

test("--init runs the engine's init as PID 1 and passes the exit code through", async () => {
  const r = await docker(d, [
    'run',
    '--rm',
    '--init',
    'busybox',
    'sh',
    '-c',
    'cat /proc/1/comm; exit 6',
  ]);
  assert.equal(r.code, 6, r.stderr);
  assert.equal(r.stdout, 'docker-init\n');
  const plain = await docker(d, ['run', '--rm', 'busybox', 'cat', '/proc/1/comm']);
  assert.equal(plain.stdout, 'cat\n');
  const id = (await docker(d, ['create', '--init', 'busybox', 'true'])).stdout.trim();
  const ins = (await raw(d.socket, 'GET', `/v1.56/containers/${id}/json`)).json as {
    HostConfig: { Init: boolean };
  };
  assert.equal(ins.HostConfig.Init, true);
  assert.equal((await docker(d, ['rm', id])).code, 0);
});
