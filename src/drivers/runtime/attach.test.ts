import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isKind } from '../../errors/index.js';
import { readLog } from '../logging/k8s-file.js';
import { connectAttach, type AttachConnection } from './attach.js';
import { makeFixture, type Fixture } from './bundle-fixture.js';
import { isConmonAlive, readProcStat } from './conmon-pid.js';
import { ExitWatcher } from './exit-watcher.js';
import type { RuntimeCreateOptions } from './runtime.js';

let fx: Fixture;
let watcher: ExitWatcher;

before(async () => {
  fx = await makeFixture();
  watcher = new ExitWatcher(fx.exitDir);
});
after(async () => {
  watcher.close();
  await fx.cleanup();
});

function exitOf(id: string): Promise<number> {
  return new Promise((resolve) => {
    const onExit = (eid: string, code: number): void => {
      if (eid !== id) return;
      watcher.off('exit', onExit);
      resolve(code);
    };
    watcher.on('exit', onExit);
  });
}

async function createTracked(o: RuntimeCreateOptions): Promise<void> {
  const c = await fx.runtime.create(o);
  fx.track(o.id, c.conmonPid);
}

/** Collects everything the connection delivers until conmon closes it. */
function drain(conn: AttachConnection): Promise<{ stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  conn.on('data', (stream, chunk) => (out[stream] += chunk.toString()));
  return new Promise((resolve) => conn.once('close', () => resolve(out)));
}

/** Resolves once `conn` has delivered stdout containing `text`. */
function waitFor(conn: AttachConnection, text: string): Promise<void> {
  let seen = '';
  return new Promise((resolve) => {
    const on = (stream: string, chunk: Buffer): void => {
      seen += chunk.toString();
      if (!seen.includes(text)) return;
      conn.off('data', on);
      resolve();
    };
    conn.on('data', on);
  });
}

test('attach before start receives stdout and stderr separately', async () => {
  const o = await fx.bundle(['sh', '-c', 'echo out; echo err >&2; echo out2']);
  await createTracked(o);
  const fdsBefore = (await readdir('/proc/self/fd')).length;
  const conn = await connectAttach(o.bundleDir);
  const got = drain(conn);
  const exited = exitOf(o.id);
  await fx.runtime.start(o.id);
  assert.deepEqual(await got, { stdout: 'out\nout2\n', stderr: 'err\n' });
  assert.equal(await exited, 0);
  assert.equal((await readdir('/proc/self/fd')).length, fdsBefore, 'attach leaked an fd');
  await fx.runtime.delete(o.id);
  await assert.rejects(connectAttach(o.bundleDir), (e: unknown) => isKind(e, 'System'));
});

test('stdin through attach (-i) at a bundle path longer than sun_path', async () => {
  const o = await fx.bundle(['cat'], { dirName: 'd'.repeat(110) });
  assert.ok(Buffer.byteLength(join(o.bundleDir, 'attach')) > 107);
  await createTracked({ ...o, stdin: true });
  const conn = await connectAttach(o.bundleDir);
  const got = drain(conn);
  const exited = exitOf(o.id);
  await fx.runtime.start(o.id);
  const echoed = waitFor(conn, 'hello\n');
  conn.write(Buffer.from('hello\n'));
  await echoed;
  const big = Buffer.alloc(100_000, 'b'); // more than one conmon read: must arrive whole
  const echoedBig = waitFor(conn, `${'b'.repeat(1000)}\n`);
  conn.write(Buffer.concat([big, Buffer.from('\n')]));
  await echoedBig;
  // Without --leave-stdin-open, leaving closes cat's stdin: cat exits 0.
  conn.close();
  assert.equal(await exited, 0);
  const { stdout } = await got;
  assert.equal(stdout, `hello\n${big.toString()}\n`);
  let logged = '';
  for await (const e of readLog(o.logPath, {
    follow: false,
    stdout: true,
    stderr: true,
    signal: AbortSignal.timeout(5000),
  })) {
    logged += e.data.toString();
  }
  assert.equal(logged, `hello\n${big.toString()}\n`);
  await fx.runtime.delete(o.id);
});

test('tty: initial size through ctl before start; output is stdout with CRLF', async () => {
  // The ctl resize races `runc start` (conmon applies it asynchronously), so the spec also
  // carries process.consoleSize, which runc applies at create: that is the race-free way.
  const size = { rows: 33, cols: 101 };
  const o = await fx.bundle(['sh', '-c', 'stty size; echo err >&2'], {
    tty: true,
    consoleSize: size,
  });
  await createTracked({ ...o, stdin: true, initialSize: size });
  const conn = await connectAttach(o.bundleDir);
  const got = drain(conn);
  const exited = exitOf(o.id);
  await fx.runtime.start(o.id);
  assert.equal(await exited, 0);
  const { stdout, stderr } = await got;
  assert.equal(stdout, '33 101\r\nerr\r\n');
  assert.equal(stderr, '');
  const lines: string[] = [];
  const signal = AbortSignal.timeout(5000);
  for await (const e of readLog(o.logPath, { follow: false, stdout: true, stderr: true, signal })) {
    lines.push(`${e.stream}:${e.data.toString()}`);
  }
  assert.deepEqual(lines, ['stdout:33 101\r\n', 'stdout:err\r\n']);
  // Once conmon is gone nobody reads ctl: resizing is a Conflict, not a hang.
  const pid = Number(await readFile(join(o.bundleDir, 'conmon.pid'), 'utf8'));
  // (A dying conmon loses its cmdline before its fds: wait until it is a zombie or gone.)
  const exiting = async (): Promise<boolean> => (await readProcStat(pid))?.state !== 'Z';
  for (let i = 0; i < 40 && (await readProcStat(pid)) !== null && (await exiting()); i++) {
    await sleep(50);
  }
  assert.equal(await isConmonAlive(pid, o.id), false);
  await assert.rejects(fx.runtime.resize(o.bundleDir, 10, 10), (e: unknown) =>
    isKind(e, 'Conflict'),
  );
  await fx.runtime.delete(o.id);
});

test('tty resize of a running container through ctl', async () => {
  const o = await fx.bundle(['sh', '-c', 'read x; stty size'], { tty: true });
  await createTracked({ ...o, stdin: true });
  const conn = await connectAttach(o.bundleDir);
  const got = drain(conn);
  const exited = exitOf(o.id);
  await fx.runtime.start(o.id);
  await fx.runtime.resize(o.bundleDir, 40, 132);
  await sleep(100); // ctl and attach are separate channels: let conmon apply the resize first
  conn.write(Buffer.from('go\r'));
  assert.equal(await exited, 0);
  assert.match((await got).stdout, /40 132\r\n$/);
  await fx.runtime.delete(o.id);
});
