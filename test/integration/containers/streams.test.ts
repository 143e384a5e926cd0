import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { assertStatusInSpec } from '../../compat/spec-check.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

async function run(cmd: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const r = await raw(
    d.socket,
    'POST',
    '/v1.56/containers/create',
    JSON.stringify({ Image: 'busybox', Cmd: cmd, ...extra }),
  );
  const id = (r.json as { Id: string }).Id;
  const started = await raw(d.socket, 'POST', `/v1.56/containers/${id}/start`);
  assert.equal(started.status, 204, started.text);
  return id;
}

async function collect(id: string, opts: Record<string, unknown>): Promise<string> {
  let out = '';
  for await (const c of await d.client.containerLogs(id, {
    stdout: true,
    stderr: true,
    tty: false,
    ...opts,
  })) {
    out += `${c.stream}:${c.data.toString()}`;
  }
  return out;
}

test('logs follow streams lines as they come and ends when the container exits', async () => {
  const id = await run(['sh', '-c', 'echo a; sleep 0.3; echo b >&2; sleep 0.3; printf c']);
  const out = await collect(id, { follow: true });
  assert.equal(out, 'stdout:a\nstderr:b\nstdout:c');
  const st = await raw(d.socket, 'GET', `/v1.56/containers/${id}/logs?stdout=1&follow=1`);
  assert.equal(st.status, 200);
  assertStatusInSpec('GET', '/containers/{id}/logs', st.status);
});

test('logs tail, stream selection and timestamps', async () => {
  const id = await run(['sh', '-c', 'for i in 1 2 3 4; do echo line$i; done; echo err >&2']);
  await raw(d.socket, 'POST', `/v1.56/containers/${id}/wait`);
  // Consecutive lines of one stream may arrive as one chunk: compare the bytes per stream.
  assert.equal(await collect(id, { tail: 2, stderr: false }), 'stdout:line3\nline4\n');
  assert.equal(await collect(id, { stdout: false }), 'stderr:err\n');
  const ts = await collect(id, { timestamps: true, tail: 1 });
  assert.match(ts, /^stderr:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z err\n$/);
  const future = Math.floor(Date.now() / 1000) + 3600;
  assert.equal(await collect(id, { since: future }), '');
});

test('a client that leaves a follow early does not stop the daemon from serving', async () => {
  const id = await run(['sleep', '300']);
  const abort = new AbortController();
  const req = createConnection(d.socket);
  req.write(`GET /v1.56/containers/${id}/logs?stdout=1&follow=1 HTTP/1.1\r\nHost: x\r\n\r\n`);
  await new Promise((r) => req.once('data', r));
  req.destroy();
  abort.abort();
  assert.equal((await raw(d.socket, 'GET', '/_ping')).text, 'OK');
  assert.equal((await raw(d.socket, 'DELETE', `/v1.56/containers/${id}?force=1`)).status, 204);
});

test('attach answers 101 UPGRADED with the multiplexed stream type', async () => {
  const r = await raw(
    d.socket,
    'POST',
    '/v1.56/containers/create',
    JSON.stringify({ Image: 'busybox', Cmd: ['true'] }),
  );
  const id = (r.json as { Id: string }).Id;
  const sock = createConnection(d.socket);
  sock.write(
    `POST /v1.56/containers/${id}/attach?stream=1&stdout=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`,
  );
  const head = await new Promise<string>((resolve) =>
    sock.once('data', (b: Buffer) => resolve(b.toString())),
  );
  sock.destroy();
  assert.match(head, /^HTTP\/1\.1 101 UPGRADED\r\n/);
  assert.match(head, /Content-Type: application\/vnd\.docker\.multiplexed-stream/);
  assertStatusInSpec('POST', '/containers/{id}/attach', 101);
  const missing = await raw(
    d.socket,
    'POST',
    '/v1.56/containers/nosuch/attach?stream=1',
    undefined,
    {
      Connection: 'Upgrade',
      Upgrade: 'tcp',
    },
  );
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.json, { message: 'No such container: nosuch' });
  assert.equal((await raw(d.socket, 'DELETE', `/v1.56/containers/${id}`)).status, 204);
});

test('every status the lifecycle endpoints answer is one the spec lists', async () => {
  const id = await run(['sleep', '300']);
  const seen: [string, string, number][] = [];
  const call = async (method: string, tpl: string, path: string) => {
    const r = await raw(d.socket, method, `/v1.56${path}`);
    seen.push([method, tpl, r.status]);
    return r.status;
  };
  assert.equal(await call('POST', '/containers/{id}/start', `/containers/${id}/start`), 304);
  assert.equal(
    await call('POST', '/containers/{id}/kill', `/containers/${id}/kill?signal=KILL`),
    204,
  );
  await raw(d.socket, 'POST', `/v1.56/containers/${id}/wait`);
  assert.equal(await call('POST', '/containers/{id}/kill', `/containers/${id}/kill`), 409);
  assert.equal(await call('POST', '/containers/{id}/stop', `/containers/${id}/stop`), 304);
  assert.equal(await call('POST', '/containers/{id}/start', `/containers/${id}/start`), 204);
  assert.equal(await call('POST', '/containers/{id}/stop', `/containers/${id}/stop?t=0`), 204);
  assert.equal(await call('DELETE', '/containers/{id}', `/containers/${id}`), 204);
  // A closed loopback port: the pull fails without leaving this machine.
  const pull = await call(
    'POST',
    '/images/create',
    `/images/create?fromImage=127.0.0.1:9/nosuch&tag=1`,
  );
  assert.ok(pull >= 400, `pull answered ${pull}`);
  for (const [method, tpl, status] of seen) assertStatusInSpec(method, tpl, status);
});

test('logs of a removed-then-recreated name never mix', async () => {
  const first = await raw(
    d.socket,
    'POST',
    '/v1.56/containers/create?name=reuse',
    JSON.stringify({ Image: 'busybox', Cmd: ['echo', 'first life'] }),
  );
  const a = (first.json as { Id: string }).Id;
  await raw(d.socket, 'POST', `/v1.56/containers/${a}/start`);
  await raw(d.socket, 'POST', `/v1.56/containers/${a}/wait`);
  assert.equal((await raw(d.socket, 'DELETE', `/v1.56/containers/reuse`)).status, 204);
  const second = await raw(
    d.socket,
    'POST',
    '/v1.56/containers/create?name=reuse',
    JSON.stringify({ Image: 'busybox', Cmd: ['echo', 'second life'] }),
  );
  const b = (second.json as { Id: string }).Id;
  assert.notEqual(a, b);
  await raw(d.socket, 'POST', `/v1.56/containers/${b}/start`);
  await raw(d.socket, 'POST', `/v1.56/containers/${b}/wait`);
  assert.equal(await collect('reuse', {}), 'stdout:second life\n');
  assert.equal((await raw(d.socket, 'DELETE', '/v1.56/containers/reuse')).status, 204);
});

test("a running exec shows in the container's ExecIDs", async () => {
  const id = await run(['sleep', '300']);
  const ex = await raw(
    d.socket,
    'POST',
    `/v1.56/containers/${id}/exec`,
    JSON.stringify({ Cmd: ['sleep', '30'] }),
  );
  const execId = (ex.json as { Id: string }).Id;
  assert.equal(
    (await raw(d.socket, 'POST', `/v1.56/exec/${execId}/start`, JSON.stringify({ Detach: true })))
      .status,
    200,
  );
  const ins = (await raw(d.socket, 'GET', `/v1.56/containers/${id}/json`)).json as {
    ExecIDs: string[] | null;
  };
  assert.deepEqual(ins.ExecIDs, [execId]);
  assert.equal((await raw(d.socket, 'DELETE', `/v1.56/containers/${id}?force=1`)).status, 204);
});
