import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { request } from 'node:http';
import type { Socket } from 'node:net';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

const inspect = async (id: string) =>
  (await raw(d.socket, 'GET', `/v1.56/containers/${id}/json`)).json as {
    State: { Status: string; ExitCode: number; Pid: number };
  };

test('containers outlive berthd; exits while it is down are recorded when it comes back', async () => {
  const mk = async (name: string, cmd: string[]) => {
    const r = await raw(
      d.socket,
      'POST',
      `/v1.56/containers/create?name=${name}`,
      JSON.stringify({ Image: 'busybox', Cmd: cmd }),
    );
    const id = (r.json as { Id: string }).Id;
    assert.equal((await raw(d.socket, 'POST', `/v1.56/containers/${id}/start`)).status, 204);
    return id;
  };
  const long = await mk('long', ['sleep', '300']);
  const short = await mk('short', ['sh', '-c', 'sleep 1; exit 4']);
  const pid = (await inspect(long)).State.Pid;
  await d.stop();
  // berthd is gone: the container process is still alive.
  assert.doesNotThrow(() => process.kill(pid, 0));
  await new Promise((r) => setTimeout(r, 1500)); // `short` exits while nobody watches
  await d.restart();
  assert.equal((await inspect(long)).State.Status, 'running');
  const s = await inspect(short);
  assert.equal(s.State.Status, 'exited');
  assert.equal(s.State.ExitCode, 4);
  // The name stays claimed across the restart.
  const dup = await raw(
    d.socket,
    'POST',
    '/v1.56/containers/create?name=long',
    JSON.stringify({ Image: 'busybox' }),
  );
  assert.equal(dup.status, 409);
  assert.equal((await raw(d.socket, 'DELETE', `/v1.56/containers/${long}?force=1`)).status, 204);
});

test('SIGTERM stops berthd while a client holds a hijacked attach; the container keeps running', async () => {
  const body = JSON.stringify({ Image: 'busybox', Cmd: ['cat'], OpenStdin: true });
  const created = await raw(d.socket, 'POST', '/v1.56/containers/create?name=held', body);
  const id = (created.json as { Id: string }).Id;
  assert.equal((await raw(d.socket, 'POST', `/v1.56/containers/${id}/start`)).status, 204);
  // An attach that never ends: stdin open, the client says nothing.
  const socket = await new Promise<Socket>((resolve, reject) => {
    const req = request({
      socketPath: d.socket,
      method: 'POST',
      path: `/v1.56/containers/${id}/attach?stream=1&stdin=1&stdout=1`,
      headers: { Connection: 'Upgrade', Upgrade: 'tcp' },
    });
    req.on('upgrade', (_res, s: Socket) => resolve(s));
    req.on('error', reject);
    req.end();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('data', () => undefined);
  socket.on('error', () => undefined);
  const stopped = await Promise.race([
    d.stop().then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), 20_000).unref()),
  ]);
  assert.equal(stopped, true, 'berthd exited within 20 s of SIGTERM');
  await closed; // the daemon ended the hijacked stream
  await d.restart();
  assert.equal((await inspect(id)).State.Status, 'running');
  assert.equal((await raw(d.socket, 'DELETE', `/v1.56/containers/${id}?force=1`)).status, 204);
});
