/**
 * The CLI end to end against a fake daemon on a unix socket: argument parsing, the run flow's
 * request order, output routing and exit codes. (Integration tests against berthd come later.)
 */
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import {
  frame,
  readJson,
  sendJson,
  startFakeDaemon,
  UPGRADED_RESPONSE,
  type FakeDaemon,
} from '../client/fake-daemon.js';
import type { CliIo } from './context.js';
import { runCli } from './program.js';

const ID = 'c'.repeat(64);
const NOW = Date.UTC(2024, 0, 1);
let daemon: FakeDaemon;
let createBody: unknown;
let attached: Socket | undefined;
let finishWait: ((code: number) => void) | undefined;

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = url.pathname.replace(/^\/v1\.56/, '');
  const key = `${req.method ?? ''} ${path}`;
  const notFound = (what: string): void => sendJson(res, 404, { message: `No such ${what}` });
  if (key === 'POST /containers/create') {
    void readJson(req).then((body) => {
      createBody = body;
      const image = (body as { Image?: string }).Image;
      if (image === 'nosuch') notFound('image: nosuch:latest');
      else sendJson(res, 201, { Id: ID, Warnings: ['low on memory'] });
    });
  } else if (key === 'POST /images/create') {
    // `run` pulls a missing image; this registry does not have it.
    sendJson(res, 404, { message: 'pull access denied for nosuch, repository does not exist' });
  } else if (key === `POST /containers/${ID}/wait`) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.flushHeaders();
    finishWait = (code) => res.end(JSON.stringify({ StatusCode: code }));
  } else if (key === `POST /containers/${ID}/start`) {
    res.writeHead(204);
    res.end();
    // The "container" prints, exits 3, and the daemon closes the attach stream.
    attached?.write(Buffer.concat([frame(1, 'hi\n'), frame(2, 'warn\n')]));
    setTimeout(() => {
      attached?.end();
      finishWait?.(3);
    }, 10);
  } else if (key === 'GET /containers/json') {
    sendJson(res, 200, [
      {
        Id: ID,
        Names: ['/web'],
        Image: 'busybox',
        Command: 'sleep 1000',
        Created: NOW / 1000 - 2,
        Status: 'Up 2 seconds',
        Ports: [],
      },
    ]);
  } else if (key === 'GET /containers/web/json') {
    sendJson(res, 200, { Id: ID, Name: '/web', Config: { Tty: false } });
  } else if (key === `GET /containers/${ID}/logs`) {
    res.writeHead(200, { 'content-type': 'application/vnd.docker.multiplexed-stream' });
    res.end(Buffer.concat([frame(1, 'out line\n'), frame(2, 'err line\n')]));
  } else if (key === 'GET /images/json') {
    const img = {
      Id: 'sha256:' + 'b'.repeat(64),
      ParentId: '',
      RepoTags: ['busybox:latest'],
      RepoDigests: [],
    };
    sendJson(res, 200, [
      {
        ...img,
        Created: NOW / 1000 - 7200,
        Size: 4_261_000,
        SharedSize: -1,
        Labels: {},
        Containers: -1,
      },
    ]);
  } else if (key === 'GET /images/busybox/json') {
    sendJson(res, 200, { Id: 'sha256:' + 'b'.repeat(64), RepoTags: ['busybox:latest'] });
  } else if (key === 'POST /containers/web/stop' || key === 'DELETE /containers/web') {
    res.writeHead(204);
    res.end();
  } else if (/^(GET|POST|DELETE) \/(containers|images)\//.test(key)) {
    notFound(`container: ${path.split('/')[2] ?? ''}`);
  } else {
    sendJson(res, 500, { message: `unexpected ${key}` });
  }
}

function onUpgrade(_req: IncomingMessage, socket: Socket): void {
  socket.write(UPGRADED_RESPONSE);
  attached = socket;
}

before(async () => {
  daemon = await startFakeDaemon(route, onUpgrade);
});
after(async () => {
  await daemon.close();
});

/** Runs the CLI with captured output. */
async function berth(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const io: CliIo = {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: { BERTH_HOST: `unix://${daemon.socketPath}`, HOME: '/home/me' },
    now: () => NOW,
  };
  daemon.requests.length = 0;
  const code = await runCli(args, io);
  return { code, out, err };
}

test('run: create → attach → wait → start, output routed, exit status propagated', async () => {
  const r = await berth(
    'run',
    '--rm',
    '--name',
    'web',
    '-e',
    'A=1',
    '-e',
    'HOME',
    'busybox',
    'sh',
    '-c',
    'echo hi',
    '-x',
  );
  assert.equal(r.code, 3);
  assert.equal(r.out, 'hi\n');
  assert.equal(r.err, 'WARNING: low on memory\nwarn\n');
  const order = daemon.requests.map((q) => q.replace(/\?.*/, '').replace('/v1.56', ''));
  assert.deepEqual(order, [
    'POST /containers/create',
    `POST /containers/${ID}/attach`,
    `POST /containers/${ID}/wait`,
    `POST /containers/${ID}/start`,
  ]);
  assert.ok(daemon.requests.includes(`POST /v1.56/containers/${ID}/wait?condition=removed`));
  assert.ok(daemon.requests.includes('POST /v1.56/containers/create?name=web'));
  const body = createBody as Record<string, unknown>;
  assert.deepEqual(body['Cmd'], ['sh', '-c', 'echo hi', '-x']);
  assert.deepEqual(body['Env'], ['A=1', 'HOME=/home/me']);
  assert.deepEqual(body['HostConfig'], { AutoRemove: true });
});

test('run -d prints the full id', async () => {
  const r = await berth('run', '-d', 'busybox', 'sleep', '9');
  assert.equal(r.code, 0);
  assert.equal(r.out, `${ID}\n`);
});

test('run of a missing image: docker wording, exit 125', async () => {
  const r = await berth('run', 'nosuch');
  assert.equal(r.code, 125);
  assert.equal(
    r.err,
    "Unable to find image 'nosuch:latest' locally\nberth: Error response from daemon: pull access denied for nosuch, repository does not exist\n",
  );
});

test('ps prints docker’s table; -q prints short ids', async () => {
  const r = await berth('ps', '-a');
  assert.equal(r.code, 0);
  const lines = r.out.split('\n');
  assert.equal(
    lines[0],
    'CONTAINER ID   IMAGE     COMMAND        CREATED         STATUS         PORTS     NAMES',
  );
  assert.equal(
    lines[1],
    'cccccccccccc   busybox   "sleep 1000"   2 seconds ago   Up 2 seconds             web',
  );
  assert.ok(daemon.requests[0]?.endsWith('/containers/json?all=1'));
  assert.equal((await berth('ps', '-q')).out, 'cccccccccccc\n');
  assert.ok((await berth('ps', '--no-trunc')).out.includes(`${ID}   busybox`));
  assert.equal((await berth('container', 'ls', '-q', '--no-trunc')).out, `${ID}\n`);
});

test('images prints docker’s table; image ls -q prints ids', async () => {
  const r = await berth('images');
  assert.equal(r.code, 0);
  assert.equal(
    r.out,
    'REPOSITORY   TAG       IMAGE ID       CREATED       SIZE\n' +
      'busybox      latest    bbbbbbbbbbbb   2 hours ago   4.26MB\n',
  );
  assert.equal((await berth('image', 'ls', '-q')).out, 'bbbbbbbbbbbb\n');
});

test('inspect falls back to images and prints a 4-space-indented array', async () => {
  const r = await berth('inspect', 'busybox', 'ghost');
  assert.equal(r.code, 1);
  const parsed = JSON.parse(r.out) as { Id: string }[];
  assert.equal(parsed.length, 1);
  assert.equal(parsed[0]?.Id, 'sha256:' + 'b'.repeat(64));
  assert.ok(r.out.startsWith('[\n    {\n        "Id"'));
  assert.equal(r.err, 'Error: No such object: ghost\n');
});

test('stop and rm report per container and pass their flags', async () => {
  const stop = await berth('stop', '-t', '5', 'web', 'ghost');
  assert.equal(stop.code, 1);
  assert.equal(stop.out, 'web\n');
  assert.equal(stop.err, 'Error response from daemon: No such container: ghost\n');
  assert.ok(daemon.requests.includes('POST /v1.56/containers/web/stop?t=5'));
  const rm = await berth('rm', '-f', '-v', 'web');
  assert.equal(rm.code, 0);
  assert.ok(daemon.requests.includes('DELETE /v1.56/containers/web?force=1&v=1'));
  assert.equal((await berth('container', 'remove', 'web')).code, 0);
});

test('logs separates stdout and stderr and passes --tail', async () => {
  const r = await berth('logs', '--tail', '2', 'web');
  assert.equal(r.code, 0);
  assert.equal(r.out, 'out line\n');
  assert.equal(r.err, 'err line\n');
  assert.ok(daemon.requests.some((q) => q.includes('/logs?') && q.includes('tail=2')));
});

test('usage errors exit 125; --version prints the version', async () => {
  assert.equal((await berth('ps', '--bogus')).code, 125);
  const v = await berth('--version');
  assert.equal(v.code, 0);
  assert.equal(v.out, 'berth version 0.1.0\n');
});
