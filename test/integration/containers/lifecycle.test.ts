import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { assertMatchesSpec } from '../../compat/spec-check.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

const post = (path: string, body?: unknown) =>
  raw(d.socket, 'POST', `/v1.56${path}`, body === undefined ? undefined : JSON.stringify(body));

async function create(body: Record<string, unknown>, name?: string): Promise<string> {
  const r = await post(`/containers/create${name ? `?name=${name}` : ''}`, body);
  assert.equal(r.status, 201, r.text);
  assertMatchesSpec('POST', '/containers/create', 201, r.json);
  return (r.json as { Id: string }).Id;
}

async function waitExit(id: string, condition = 'not-running'): Promise<{ StatusCode: number }> {
  const r = await post(`/containers/${id}/wait?condition=${condition}`);
  assert.equal(r.status, 200);
  assertMatchesSpec('POST', '/containers/{id}/wait', 200, r.json);
  return r.json as { StatusCode: number };
}

test('create → start → wait → logs → inspect → remove, with the exit code and both streams', async () => {
  const id = await create(
    { Image: 'busybox', Cmd: ['sh', '-c', 'echo out; echo err >&2; exit 3'] },
    'lc1',
  );
  const wait = d.client.containerWait(id, 'next-exit');
  const registered = await wait;
  const start = await post(`/containers/${id}/start`);
  assert.equal(start.status, 204);
  assert.equal((await registered.result).StatusCode, 3);

  const chunks: { stream: string; data: string }[] = [];
  for await (const c of await d.client.containerLogs(id, {
    stdout: true,
    stderr: true,
    tty: false,
  })) {
    chunks.push({ stream: c.stream, data: c.data.toString() });
  }
  assert.deepEqual(chunks, [
    { stream: 'stdout', data: 'out\n' },
    { stream: 'stderr', data: 'err\n' },
  ]);

  const ins = await raw(d.socket, 'GET', `/v1.56/containers/${id}/json`);
  assert.equal(ins.status, 200);
  assertMatchesSpec('GET', '/containers/{id}/json', 200, ins.json);
  const c = ins.json as {
    Name: string;
    State: { Status: string; ExitCode: number; Running: boolean };
    Path: string;
    Args: string[];
    Config: { Image: string };
  };
  assert.equal(c.Name, '/lc1');
  assert.equal(c.State.Status, 'exited');
  assert.equal(c.State.ExitCode, 3);
  assert.equal(c.State.Running, false);
  assert.equal(c.Path, 'sh');
  assert.deepEqual(c.Args, ['-c', 'echo out; echo err >&2; exit 3']);
  assert.equal(c.Config.Image, 'busybox');

  const del = await raw(d.socket, 'DELETE', `/v1.56/containers/${id}`);
  assert.equal(del.status, 204);
  const gone = await raw(d.socket, 'GET', `/v1.56/containers/${id}/json`);
  assert.equal(gone.status, 404);
  assert.deepEqual(gone.json, { message: `No such container: ${id}` });
});

test("the container runs with Docker's default security profile, as root, in its own namespaces", async () => {
  const id = await create({
    Image: 'busybox',
    Cmd: [
      'sh',
      '-c',
      'grep -E "^(CapEff|Seccomp|NoNewPrivs):" /proc/self/status; id; hostname; cat /etc/hostname; ls /proc/acpi | wc -l',
    ],
  });
  await post(`/containers/${id}/start`);
  await waitExit(id);
  let out = '';
  for await (const c of await d.client.containerLogs(id, {
    stdout: true,
    stderr: true,
    tty: false,
  }))
    out += c.data.toString();
  assert.match(out, /CapEff:\s+00000000a80425fb/);
  assert.match(out, /Seccomp:\s+2/);
  assert.match(out, /uid=0\(root\) gid=0\(root\)/);
  const short = id.slice(0, 12);
  assert.equal(out.split('\n').filter((l) => l === short).length, 2, out);
  await raw(d.socket, 'DELETE', `/v1.56/containers/${id}`);
});

test('env, working dir, user and entrypoint are applied', async () => {
  const id = await create({
    Image: 'busybox',
    Entrypoint: ['sh', '-c'],
    Cmd: ['echo "$FOO $(pwd) $(id -u):$(id -g) $HOME"'],
    Env: ['FOO=bar'],
    WorkingDir: '/tmp',
    User: 'nobody',
  });
  await post(`/containers/${id}/start`);
  assert.equal((await waitExit(id)).StatusCode, 0);
  let out = '';
  for await (const c of await d.client.containerLogs(id, {
    stdout: true,
    stderr: true,
    tty: false,
  }))
    out += c.data.toString();
  assert.equal(out, 'bar /tmp 65534:65534 /home\n');
  await raw(d.socket, 'DELETE', `/v1.56/containers/${id}`);
});

test('AutoRemove: wait condition=removed returns the exit code after the container is gone', async () => {
  const id = await create({
    Image: 'busybox',
    Cmd: ['sh', '-c', 'exit 5'],
    HostConfig: { AutoRemove: true },
  });
  const w = await d.client.containerWait(id, 'removed');
  await post(`/containers/${id}/start`);
  assert.equal((await w.result).StatusCode, 5);
  const gone = await raw(d.socket, 'GET', `/v1.56/containers/${id}/json`);
  assert.equal(gone.status, 404);
  assert.equal(existsSync(`${d.dataRoot}/containers/${id}`), false);
});

test('attach before start receives stdout and stderr as stdcopy frames', async () => {
  const id = await create({
    Image: 'busybox',
    Cmd: ['sh', '-c', 'echo one; echo two >&2'],
    AttachStdout: true,
    AttachStderr: true,
  });
  const conn = await d.client.containerAttach(id, {
    stream: true,
    stdout: true,
    stderr: true,
    tty: false,
  });
  await post(`/containers/${id}/start`);
  const got: string[] = [];
  for await (const c of conn.output) got.push(`${c.stream}:${c.data.toString()}`);
  assert.deepEqual(got.sort(), ['stderr:two\n', 'stdout:one\n']);
  await raw(d.socket, 'DELETE', `/v1.56/containers/${id}`);
});

test('a missing command: start is a 400 naming it, the container exits 127', async () => {
  const id = await create({ Image: 'busybox', Cmd: ['/no/such/binary'] });
  const r = await post(`/containers/${id}/start`);
  assert.equal(r.status, 400);
  assertMatchesSpec('POST', '/containers/{id}/start', 400, r.json);
  assert.match((r.json as { message: string }).message, /no such file or directory/);
  const c = (await raw(d.socket, 'GET', `/v1.56/containers/${id}/json`)).json as {
    State: { Status: string; ExitCode: number };
  };
  assert.equal(c.State.Status, 'exited');
  assert.equal(c.State.ExitCode, 127);
  await raw(d.socket, 'DELETE', `/v1.56/containers/${id}`);
});

test('stop, kill, list filters, 304 and 409 answers', async () => {
  const id = await create(
    { Image: 'busybox', Cmd: ['sleep', '300'], Labels: { tier: 'web' } },
    'sleeper',
  );
  assert.equal((await post(`/containers/${id}/start`)).status, 204);
  assert.equal((await post(`/containers/${id}/start`)).status, 304);

  const running = await raw(d.socket, 'GET', '/v1.56/containers/json');
  assertMatchesSpec('GET', '/containers/json', 200, running.json);
  const list = running.json as { Id: string; Names: string[]; State: string; Status: string }[];
  const mine = list.find((c) => c.Id === id);
  assert.deepEqual(mine?.Names, ['/sleeper']);
  assert.equal(mine?.State, 'running');
  assert.match(mine?.Status ?? '', /^Up /);
  const byLabel = await raw(
    d.socket,
    'GET',
    `/v1.56/containers/json?all=1&filters=${encodeURIComponent('{"label":["tier=web"]}')}`,
  );
  assert.deepEqual(
    (byLabel.json as { Id: string }[]).map((c) => c.Id),
    [id],
  );
  const byName = await raw(
    d.socket,
    'GET',
    `/v1.56/containers/json?all=1&filters=${encodeURIComponent('{"name":["nomatch"]}')}`,
  );
  assert.deepEqual(byName.json, []);
  const badFilter = await raw(
    d.socket,
    'GET',
    `/v1.56/containers/json?filters=${encodeURIComponent('{"bogus":["x"]}')}`,
  );
  assert.equal(badFilter.status, 400);

  const delRunning = await raw(d.socket, 'DELETE', `/v1.56/containers/${id}`);
  assert.equal(delRunning.status, 409);
  assert.match(
    (delRunning.json as { message: string }).message,
    /container is running: stop the container before removing or force remove/,
  );

  const badSignal = await post(`/containers/${id}/kill?signal=SIGNOPE`);
  assert.equal(badSignal.status, 400);
  // sh as PID 1 ignores SIGTERM (P10): stop must escalate to SIGKILL after the timeout.
  const stop = await post(`/containers/${id}/stop?t=1`);
  assert.equal(stop.status, 204);
  const after = (await raw(d.socket, 'GET', `/v1.56/containers/sleeper/json`)).json as {
    State: { ExitCode: number; Status: string };
  };
  assert.equal(after.State.Status, 'exited');
  assert.equal(after.State.ExitCode, 137);
  assert.equal((await post(`/containers/${id}/stop`)).status, 304);
  assert.equal((await post(`/containers/${id}/kill`)).status, 409);
  assert.equal((await raw(d.socket, 'DELETE', `/v1.56/containers/sleeper`)).status, 204);
});

test('force removal kills a running container', async () => {
  const id = await create({ Image: 'busybox', Cmd: ['sleep', '300'] });
  await post(`/containers/${id}/start`);
  const r = await raw(d.socket, 'DELETE', `/v1.56/containers/${id.slice(0, 10)}?force=1`);
  assert.equal(r.status, 204);
  assert.equal((await raw(d.socket, 'GET', `/v1.56/containers/${id}/json`)).status, 404);
});
