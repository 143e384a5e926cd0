import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { BerthClient } from './client.js';
import { ApiError, DaemonUnreachableError } from './errors.js';
import {
  frame,
  readJson,
  sendJson,
  startFakeDaemon,
  UPGRADED_RESPONSE,
  type FakeDaemon,
} from './fake-daemon.js';
import type { OutputChunk } from './stdcopy.js';

const ID = 'a'.repeat(64);
let daemon: FakeDaemon;
let client: BerthClient;
/** Completes the pending wait response; set by the wait handler. */
let finishWait: (() => void) | undefined;
let createdBody: unknown;

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const key = `${req.method ?? ''} ${url.pathname}`;
  if (key === 'GET /_ping') {
    res.writeHead(200, { 'api-version': '1.44', ostype: 'linux', 'content-type': 'text/plain' });
    res.end('OK');
  } else if (key === 'POST /v1.56/containers/create') {
    void readJson(req).then((body) => {
      createdBody = body;
      sendJson(res, 201, { Id: ID, Warnings: [] });
    });
  } else if (key === 'POST /v1.56/containers/nope/start') {
    sendJson(res, 404, { message: 'No such container: nope' });
  } else if (key === `POST /v1.56/containers/${ID}/start`) {
    res.writeHead(304);
    res.end();
  } else if (key === `POST /v1.56/containers/${ID}/wait`) {
    // Docker's behaviour: headers now, the body when the container exits.
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
    finishWait = () => res.end('{"StatusCode":3}\n');
  } else if (key === `GET /v1.56/containers/${ID}/logs`) {
    res.writeHead(200, { 'content-type': 'application/vnd.docker.multiplexed-stream' });
    const bytes = Buffer.concat([frame(1, 'line1\n'), frame(2, 'oops\n')]);
    res.write(bytes.subarray(0, 5));
    setTimeout(() => res.end(bytes.subarray(5)), 10);
  } else if (key === 'GET /v1.56/containers/json') {
    sendJson(res, 200, [{ Id: ID, Names: ['/x'], query: url.search }]);
  } else if (key === 'GET /v1.56/images/library/busybox:1/json') {
    sendJson(res, 200, { Id: 'sha256:' + 'b'.repeat(64) });
  } else {
    res.writeHead(500);
    res.end('unexpected request ' + key);
  }
}

function onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
  if (!(req.url ?? '').startsWith(`/v1.56/containers/${ID}/attach`)) {
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 25\r\n\r\n{"message":"no such one"}');
    return;
  }
  socket.write(UPGRADED_RESPONSE + '');
  // Echo stdin back as stderr frames; on half-close, send a last stdout frame and close.
  const stdin: Buffer[] = head.length > 0 ? [head] : [];
  socket.write(frame(1, 'hello\n'));
  socket.on('data', (d: Buffer) => stdin.push(d));
  socket.on('end', () => {
    socket.write(frame(2, Buffer.concat(stdin)));
    socket.end(frame(1, 'bye\n'));
  });
}

before(async () => {
  daemon = await startFakeDaemon(route, onUpgrade);
  client = new BerthClient({ socketPath: daemon.socketPath });
});

after(async () => {
  client.close();
  await daemon.close();
});

async function collect(it: AsyncIterable<OutputChunk>): Promise<string[]> {
  const out: string[] = [];
  for await (const c of it) out.push(`${c.stream}:${c.data.toString()}`);
  return out;
}

test('ping reads headers; negotiate lowers the version', async () => {
  const c = new BerthClient({ socketPath: daemon.socketPath });
  const ping = await c.ping();
  assert.deepEqual(ping, { apiVersion: '1.44', osType: 'linux', experimental: false });
  assert.equal(await c.negotiate(), '1.44');
  assert.equal(c.apiVersion, '1.44');
  c.close();
});

test('containerCreate posts the body and name, returns Id and Warnings', async () => {
  const r = await client.containerCreate({ Image: 'busybox', Cmd: ['true'] }, { name: 'web' });
  assert.deepEqual(r, { Id: ID, Warnings: [] });
  assert.deepEqual(createdBody, { Image: 'busybox', Cmd: ['true'] });
  assert.ok(daemon.requests.includes('POST /v1.56/containers/create?name=web'));
});

test('a 404 becomes an ApiError with the body message; 304 is success', async () => {
  await assert.rejects(client.containerStart('nope'), (e: unknown) => {
    return e instanceof ApiError && e.statusCode === 404 && e.message === 'No such container: nope';
  });
  await client.containerStart(ID);
});

test('containerWait resolves on headers, result on the body', async () => {
  finishWait = undefined;
  const wait = await client.containerWait(ID, 'next-exit');
  // Reassigned by the route handler; TS cannot see that.
  const finish = finishWait as (() => void) | undefined;
  assert.ok(finish, 'the server has answered the headers only');
  let settled = false;
  void wait.result.then(() => (settled = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(settled, false);
  finish();
  assert.deepEqual(await wait.result, { StatusCode: 3 });
  assert.ok(daemon.requests.includes(`POST /v1.56/containers/${ID}/wait?condition=next-exit`));
});

test('containerLogs demuxes a stream split inside a header', async () => {
  const logs = await client.containerLogs(ID, { stdout: true, stderr: true, tail: 'all' });
  assert.deepEqual(await collect(logs), ['stdout:line1\n', 'stderr:oops\n']);
});

test('containerAttach hijacks: 101, frames out, stdin in, half-close', async () => {
  const conn = await client.containerAttach(ID, {
    stream: true,
    stdin: true,
    stdout: true,
    stderr: true,
    tty: false,
  });
  conn.stdin.write('typed input');
  const outputP = collect(conn.output);
  await new Promise((r) => setTimeout(r, 20));
  conn.closeWrite();
  assert.deepEqual(await outputP, ['stdout:hello\n', 'stderr:typed input', 'stdout:bye\n']);
  conn.close();
});

test('containerAttach to an unknown container rejects with the 404', async () => {
  await assert.rejects(
    client.containerAttach('other', { stream: true, stdout: true, tty: false }),
    (e: unknown) => e instanceof ApiError && e.statusCode === 404 && e.message === 'no such one',
  );
});

test('list and inspect build their paths and queries', async () => {
  const list = await client.containerList({ all: true, filters: { status: ['exited'] } });
  assert.equal(list[0]?.Id, ID);
  assert.equal(
    (list[0] as Record<string, unknown> | undefined)?.['query'],
    `?all=1&filters=${encodeURIComponent('{"status":["exited"]}')}`,
  );
  const img = await client.imageInspect('library/busybox:1');
  assert.equal(img.Id, 'sha256:' + 'b'.repeat(64));
});

test('an absent socket is a DaemonUnreachableError', async () => {
  const c = new BerthClient({ socketPath: daemon.socketPath + '.missing' });
  await assert.rejects(c.version(), (e: unknown) => {
    return (
      e instanceof DaemonUnreachableError && /Cannot connect to the Berth daemon/.test(e.message)
    );
  });
  c.close();
});
