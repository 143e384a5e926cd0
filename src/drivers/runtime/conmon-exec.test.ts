import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import type { Process } from '../../oci/types.js';
import type { AttachConnection } from './attach.js';
import { makeFixture, type Fixture } from './bundle-fixture.js';
import { conmonExecArgs, parseSyncData } from './conmon-exec.js';
import { LineReader } from './line-reader.js';
import { classifyStartError, type RuntimeExecOptions } from './runtime.js';

let fx: Fixture;
let cid: string;
let base: Process;
let n = 0;

before(async () => {
  fx = await makeFixture();
  const o = await fx.bundle(['sleep', '100']);
  const c = await fx.runtime.create(o);
  fx.track(o.id, c.conmonPid);
  await fx.runtime.start(o.id);
  cid = o.id;
  base = (
    JSON.parse(await readFile(join(o.bundleDir, 'config.json'), 'utf8')) as { process: Process }
  ).process;
});
after(async () => {
  await fx.runtime.kill(cid, 'KILL').catch(() => undefined);
  await fx.cleanup();
});

function options(args: string[], o: Partial<RuntimeExecOptions> = {}): RuntimeExecOptions {
  const tty = o.tty ?? false;
  return {
    containerId: cid,
    // A long dir: conmon and connectAttach must cope with a path past sun_path's 108 bytes.
    execDir: join(fx.base, 'x'.repeat(60), `exec-${n}`),
    execId: `exec${n++}`,
    process: { ...base, args, terminal: tty },
    tty,
    stdin: false,
    attach: true,
    ...o,
  };
}

/** Collects everything the attach connection delivers until it closes. */
function collect(conn: AttachConnection | undefined): Promise<string[]> {
  assert.ok(conn, 'an attach connection was asked for');
  const out: string[] = [];
  return new Promise((resolve) => {
    conn.on('data', (stream, chunk) => out.push(`${stream}:${chunk.toString()}`));
    conn.once('close', () => resolve(out));
  });
}

test('exec with attach: output of both streams, then the exit code', async () => {
  const p = await fx.runtime.exec(options(['sh', '-c', 'echo out; echo err >&2; exit 5']));
  assert.ok(p.pid > 0);
  const out = await collect(p.attach);
  assert.deepEqual(out.sort(), ['stderr:err\n', 'stdout:out\n']);
  assert.equal(await p.exited, 5);
});

test('exec with stdin: input reaches the process, half-close gives it EOF', async () => {
  const p = await fx.runtime.exec(options(['cat'], { stdin: true }));
  const out = collect(p.attach);
  p.attach?.write(Buffer.from('hello\n'));
  p.attach?.closeStdin();
  assert.deepEqual(await out, ['stdout:hello\n']);
  assert.equal(await p.exited, 0);
});

test('exec with a tty: initial size from the process, resize through the exec ctl', async () => {
  const o = options(['sh', '-c', 'stty size; read x; stty size'], { tty: true, stdin: true });
  o.process.consoleSize = { height: 30, width: 100 };
  const p = await fx.runtime.exec(o);
  const out = collect(p.attach);
  await new Promise((r) => setTimeout(r, 200));
  await fx.runtime.resize(o.execDir, 40, 132);
  p.attach?.write(Buffer.from('\r'));
  const text = (await out).join('');
  assert.match(text, /30 100/);
  assert.match(text, /40 132/);
  assert.equal(await p.exited, 0);
});

test('detached exec (no attach) reports pid and exit code', async () => {
  const p = await fx.runtime.exec(options(['sh', '-c', 'exit 3'], { attach: false }));
  assert.equal(p.attach, undefined);
  assert.equal(await p.exited, 3);
});

test('a missing binary rejects with the runtime message, classified 127', async () => {
  const fdsBefore = (await readdir('/proc/self/fd')).length;
  await assert.rejects(fx.runtime.exec(options(['nosuch'])), (e: Error) => {
    assert.match(e.message, /executable file not found/);
    assert.equal(classifyStartError(e.message), 127);
    return true;
  });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal((await readdir('/proc/self/fd')).length, fdsBefore, 'fds leaked');
});

test('conmonExecArgs: per-exec dirs, -e with the process spec, attach and tty flags', () => {
  const args = conmonExecArgs('/usr/sbin/runc', ['--root', '/r'], {
    containerId: 'c1',
    execId: 'e1',
    execDir: '/d',
    process: { user: { uid: 0, gid: 0 }, args: ['sh'], cwd: '/', terminal: true },
    tty: true,
    stdin: true,
    attach: true,
  });
  const joined = args.join(' ');
  assert.match(joined, /-c c1 -u e1 -r \/usr\/sbin\/runc -b \/d -p \/d\/exec_pid/);
  assert.match(joined, /--exit-dir \/d\/exit/);
  assert.match(joined, /-i -t --runtime-arg --root --runtime-arg \/r -e --exec-attach/);
  assert.match(joined, /--exec-process-spec \/d\/process.json$/);
  assert.throws(() =>
    conmonExecArgs('/r', [], {
      containerId: '-x',
      execId: 'e',
      execDir: '/d',
      process: { user: { uid: 0, gid: 0 }, args: ['sh'], cwd: '/' },
      tty: false,
      stdin: false,
      attach: false,
    }),
  );
});

test('parseSyncData: pid, exit code 0, runtime failure', () => {
  assert.equal(parseSyncData('{"data": 42}', true), 42);
  assert.equal(parseSyncData('{"data": 0}', false), 0);
  assert.throws(() => parseSyncData('{"data": 0}', true));
  assert.throws(
    () => parseSyncData('{"data": -1, "message": "time=\\"x\\" level=error msg=\\"boom\\""}', true),
    /^Error: boom$|boom/,
  );
  assert.throws(() => parseSyncData('garbage', true), /unreadable/);
});

test('LineReader: lines across chunks, the rest at EOF, then null', async () => {
  const s = new PassThrough();
  const r = new LineReader(s);
  s.write('{"a"');
  s.write(':1}\n{"b":2}\nta');
  s.end('il');
  assert.equal(await r.next(), '{"a":1}');
  assert.equal(await r.next(), '{"b":2}');
  assert.equal(await r.next(), 'tail');
  assert.equal(await r.next(), null);
});
