import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { demux, frames, rawAttach } from '../../helpers/attach-socket.js';
import { assertMatchesSpec, assertStatusInSpec } from '../../compat/spec-check.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

const post = (path: string, body?: unknown) =>
  raw(d.socket, 'POST', `/v1.56${path}`, body === undefined ? undefined : JSON.stringify(body));

async function create(body: Record<string, unknown>): Promise<string> {
  const r = await post('/containers/create', { Image: 'busybox', ...body });
  assert.equal(r.status, 201, r.text);
  return (r.json as { Id: string }).Id;
}

async function start(id: string): Promise<void> {
  const r = await post(`/containers/${id}/start`);
  assert.equal(r.status, 204, r.text);
}

const attachPath = (id: string, q: string) => `/v1.56/containers/${id}/attach?${q}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function logsText(id: string): Promise<string> {
  return (await raw(d.socket, 'GET', `/v1.56/containers/${id}/logs?stdout=1&stderr=1`)).text;
}

async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(50);
  }
}

/** The pid of this file's berthd: the node process serving its socket. */
async function berthdPid(): Promise<number> {
  for (const p of await readdir('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    const cmd = await readFile(`/proc/${p}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes('berthd.js') && cmd.includes(d.socket)) return Number(p);
  }
  throw new Error('berthd not found');
}

test('a TTY container runs with a real pty of its ConsoleSize; conmon has -t', async () => {
  const id = await create({
    Cmd: ['sh', '-c', 'stty size; tty; sleep 300'],
    Tty: true,
    HostConfig: { ConsoleSize: [20, 70] },
  });
  await start(id);
  await until('stty output', async () => /\/dev\/pts/.test(await logsText(id)));
  assert.match(await logsText(id), /^20 70\r\n\/dev\/pts\/\d+\r\n$/);
  const spec = JSON.parse(await readFile(join(d.execRoot, 'c', id, 'config.json'), 'utf8')) as {
    process: { terminal: boolean; consoleSize?: { height: number; width: number } };
  };
  assert.equal(spec.process.terminal, true);
  assert.deepEqual(spec.process.consoleSize, { height: 20, width: 70 });
  let conmonArgs: string[] = [];
  for (const p of await readdir('/proc')) {
    const cmd = await readFile(`/proc/${p}/cmdline`, 'utf8').catch(() => '');
    if (cmd.startsWith('/usr/bin/conmon\0') && cmd.includes(id)) conmonArgs = cmd.split('\0');
  }
  assert.ok(conmonArgs.includes('-t'), conmonArgs.join(' '));
  assert.equal((await raw(d.socket, 'DELETE', `/v1.56/containers/${id}?force=1`)).status, 204);
});

test('resize: 200 delivers SIGWINCH; 400 bad size, 404 unknown, 409 not running', async () => {
  const id = await create({
    Cmd: ['sh', '-c', 'trap "stty size" WINCH; echo ready; while :; do sleep 0.05; done'],
    Tty: true,
  });
  await start(id);
  await until('ready', async () => (await logsText(id)).includes('ready'));
  const ok = await post(`/containers/${id}/resize?h=33&w=111`);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.text, '');
  assertStatusInSpec('POST', '/containers/{id}/resize', 200);
  await until('SIGWINCH', async () => (await logsText(id)).includes('33 111'));

  for (const q of ['', 'h=10', 'w=10', 'h=abc&w=10', 'h=-1&w=10', 'h=10&w=70000', 'h=1.5&w=2']) {
    const bad = await post(`/containers/${id}/resize?${q}`);
    assert.equal(bad.status, 400, `${q}: ${bad.text}`);
    assert.equal(typeof (bad.json as { message: string }).message, 'string');
  }
  const missing = await post('/containers/nosuch/resize?h=10&w=10');
  assert.equal(missing.status, 404);
  assertMatchesSpec('POST', '/containers/{id}/resize', 404, missing.json);

  const plain = await create({ Cmd: ['sleep', '300'] });
  await start(plain);
  assert.equal((await post(`/containers/${plain}/resize?h=10&w=10`)).status, 200);

  const stopped = await create({ Cmd: ['true'], Tty: true });
  const conflict = await post(`/containers/${stopped}/resize?h=10&w=10`);
  assert.equal(conflict.status, 409);
  assert.deepEqual(conflict.json, { message: `container ${stopped} is not running` });
  for (const c of [id, plain, stopped])
    await raw(d.socket, 'DELETE', `/v1.56/containers/${c}?force=1`);
});

test('logs of a TTY container are raw, all on stdout, with the CRLF the pty made', async () => {
  const id = await create({ Cmd: ['sh', '-c', 'printf "a\\nb\\n"; echo err >&2'], Tty: true });
  await start(id);
  await post(`/containers/${id}/wait`);
  const r = await raw(d.socket, 'GET', `/v1.56/containers/${id}/logs?stdout=1&stderr=1`);
  assert.equal(r.headers['content-type'], 'application/vnd.docker.raw-stream');
  assert.equal(r.text, 'a\r\nb\r\nerr\r\n');
  const onlyErr = await raw(d.socket, 'GET', `/v1.56/containers/${id}/logs?stderr=1`);
  assert.equal(onlyErr.text, '');
});

test('attach logs=1 replays the log, then live output, each line exactly once', async () => {
  const id = await create({
    Cmd: ['sh', '-c', 'for i in $(seq 1 60); do echo line$i; sleep 0.03; done; echo bye >&2'],
  });
  await start(id);
  // Attach at different moments while the container prints: replay and live must join cleanly.
  const attaches = [];
  for (let i = 0; i < 6; i++) {
    await sleep(80);
    attaches.push(rawAttach(d.socket, attachPath(id, 'logs=1&stream=1&stdout=1&stderr=1')));
  }
  const expected = Array.from({ length: 60 }, (_, i) => `line${i + 1}\n`).join('');
  for (const a of await Promise.all(attaches)) {
    assert.match(a.head, /^HTTP\/1\.1 101/);
    await a.ended;
    const fr = frames(a.body());
    assert.equal(
      fr
        .filter((f) => f.stream === 1)
        .map((f) => f.data)
        .join(''),
      expected,
    );
    assert.equal(
      fr
        .filter((f) => f.stream === 2)
        .map((f) => f.data)
        .join(''),
      'bye\n',
    );
    a.sock.destroy();
  }
  // logs=1 without stream: the replay alone, then the connection ends.
  const once = await rawAttach(d.socket, attachPath(id, 'logs=1&stdout=1'));
  await once.ended;
  assert.equal(demux(once.body()), expected);
  once.sock.destroy();
});

test('stdin: StdinOnce closes stdin when the client input ends; output keeps flowing', async () => {
  const id = await create({
    Cmd: ['sh', '-c', 'cat; echo stdin-closed'],
    OpenStdin: true,
    StdinOnce: true,
    AttachStdin: true,
  });
  const a = await rawAttach(d.socket, attachPath(id, 'stream=1&stdin=1&stdout=1&stderr=1'));
  await start(id);
  a.sock.write('hello\n');
  await a.waitFor(/hello\n/);
  a.sock.end();
  await a.ended;
  assert.equal(demux(a.body()), 'hello\nstdin-closed\n');
  assert.equal(
    ((await post(`/containers/${id}/wait`)).json as { StatusCode: number }).StatusCode,
    0,
  );
  a.sock.destroy();
});

test('stdin without StdinOnce: a client leaving ends its attach, the container keeps stdin', async () => {
  const id = await create({ Cmd: ['cat'], OpenStdin: true });
  await start(id);
  const a = await rawAttach(d.socket, attachPath(id, 'stream=1&stdin=1&stdout=1'));
  a.sock.write('one\n');
  await a.waitFor(/one\n/);
  a.sock.end();
  await a.ended;
  a.sock.destroy();
  const b = await rawAttach(d.socket, attachPath(id, 'stream=1&stdin=1&stdout=1'));
  b.sock.write('two\n');
  await b.waitFor(/two\n/);
  b.sock.destroy();
  const ins = await raw(d.socket, 'GET', `/v1.56/containers/${id}/json`);
  assert.equal((ins.json as { State: { Running: boolean } }).State.Running, true);
  await raw(d.socket, 'DELETE', `/v1.56/containers/${id}?force=1`);
});

test('detach keys: the sequence closes the connection, the container runs on', async () => {
  const id = await create({
    Cmd: ['sh'],
    Tty: true,
    OpenStdin: true,
    StdinOnce: true,
    AttachStdin: true,
  });
  const bad = await raw(d.socket, 'POST', attachPath(id, 'stream=1&detachKeys=ctrl-1'), '', {
    Connection: 'Upgrade',
    Upgrade: 'tcp',
  });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json, { message: 'Invalid detach keys (ctrl-1) provided' });
  assertStatusInSpec('POST', '/containers/{id}/attach', 400);

  const q = 'stream=1&stdin=1&stdout=1&detachKeys=ctrl-a,b';
  const a = await rawAttach(d.socket, attachPath(id, q));
  assert.match(a.head, /Content-Type: application\/vnd\.docker\.raw-stream/);
  await start(id);
  a.sock.write('echo $((6*7))\r');
  await a.waitFor(/\r\n42\r\n/);
  // A partial sequence is forwarded once the next byte does not continue it: ^A then "e" reach
  // the shell (^A moves to the line start), so the command still runs.
  a.sock.write('\x01');
  await sleep(100);
  a.sock.write('echo part$((1+1))\r');
  await a.waitFor(/part2/);
  a.sock.write('\x01b');
  await a.ended;
  a.sock.destroy();
  await sleep(200);
  const ins = await raw(d.socket, 'GET', `/v1.56/containers/${id}/json`);
  assert.equal((ins.json as { State: { Running: boolean } }).State.Running, true);

  // Default keys (ctrl-p ctrl-q) on a re-attach; then `exit 3` ends the container with 3.
  const b = await rawAttach(d.socket, attachPath(id, 'stream=1&stdin=1&stdout=1'));
  b.sock.write('echo back\r');
  await b.waitFor(/\r\nback\r\n/);
  b.sock.write('\x10\x11');
  await b.ended;
  b.sock.destroy();
  const c = await rawAttach(d.socket, attachPath(id, 'stream=1&stdin=1&stdout=1'));
  c.sock.write('exit 3\r');
  await c.ended;
  c.sock.destroy();
  const w = await post(`/containers/${id}/wait`);
  assert.equal((w.json as { StatusCode: number }).StatusCode, 3);
});

test('20 attaches that disconnect leave no fd, listener or connection behind', async () => {
  const pid = await berthdPid();
  const ttyId = await create({ Cmd: ['sh'], Tty: true, OpenStdin: true, StdinOnce: true });
  const catId = await create({ Cmd: ['cat'], OpenStdin: true });
  const chatty = await create({ Cmd: ['sh', '-c', 'while :; do echo tick; sleep 0.05; done'] });
  for (const c of [ttyId, catId, chatty]) await start(c);
  const fds = async () => (await readdir(`/proc/${pid}/fd`)).length;
  // Warm up once per kind so lazily opened things (modules, db handles) are in the baseline.
  const once = async (i: number) => {
    const kind = i % 3;
    const id = kind === 0 ? ttyId : kind === 1 ? catId : chatty;
    const q = kind === 2 ? 'stream=1&stdout=1&logs=1' : 'stream=1&stdin=1&stdout=1';
    const a = await rawAttach(d.socket, attachPath(id, q));
    assert.match(a.head, /^HTTP\/1\.1 101/);
    if (kind !== 2) a.sock.write('x\n');
    await sleep(20);
    a.sock.destroy();
  };
  for (let i = 0; i < 3; i++) await once(i);
  await sleep(300);
  const baseline = await fds();
  for (let i = 0; i < 20; i++) await once(i);
  await until('fds back to baseline', async () => (await fds()) <= baseline, 10_000);
  for (const c of [ttyId, catId, chatty]) {
    const ins = await raw(d.socket, 'GET', `/v1.56/containers/${c}/json`);
    assert.equal((ins.json as { State: { Running: boolean } }).State.Running, true, c);
    await raw(d.socket, 'DELETE', `/v1.56/containers/${c}?force=1`);
  }
});
