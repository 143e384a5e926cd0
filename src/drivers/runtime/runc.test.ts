import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isKind } from '../../errors/index.js';
import { execFile } from '../../lib/exec.js';
import { readLog } from '../logging/k8s-file.js';
import { makeFixture, type Fixture } from './bundle-fixture.js';
import { isConmonAlive, isProcessAlive, readProcessStartTime } from './conmon-pid.js';
import { ExitWatcher } from './exit-watcher.js';
import { RuncRuntime } from './runc.js';
import { classifyStartError, type RuntimeCreateOptions } from './runtime.js';

let fx: Fixture;
let watcher: ExitWatcher;

before(async () => {
  fx = await makeFixture();
  watcher = new ExitWatcher(fx.exitDir);
});
after(async () => {
  watcher.close();
  await fx.cleanup();
  // Nothing of the fixture is left: no cgroup parent in any hierarchy, no temp dir.
  for (const ctrl of await readdir('/sys/fs/cgroup')) {
    const left = await readdir(join('/sys/fs/cgroup', ctrl)).catch(() => []);
    assert.ok(!left.some((n) => fx.base.endsWith(n)), `cgroup left in ${ctrl}`);
  }
  await assert.rejects(readdir(fx.base));
});

/** Resolves with the exit code the watcher reports for `id`. */
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

async function createTracked(o: RuntimeCreateOptions) {
  const c = await fx.runtime.create(o);
  fx.track(o.id, c.conmonPid);
  return c;
}

const openFds = async (): Promise<number> => (await readdir('/proc/self/fd')).length;

test('create + start: exit code via the exit dir, both streams in the log, no fd left', async () => {
  const o = await fx.bundle(['sh', '-c', 'echo out; echo err >&2; exit 7']);
  const fdsBefore = await openFds();
  const c = await createTracked(o);
  assert.equal(await openFds(), fdsBefore, 'create leaked file descriptors');
  assert.ok(await isProcessAlive(c.pid, c.pidStartTime));
  assert.ok(await isConmonAlive(c.conmonPid, o.id));
  assert.equal((await fx.runtime.state(o.id))?.status, 'created');
  const exited = exitOf(o.id);
  await fx.runtime.start(o.id);
  assert.equal(await exited, 7);
  assert.equal(await watcher.readExit(o.id), 7);
  assert.equal((await readFile(join(o.persistDir, 'exit'), 'utf8')).trim(), '7');
  const entries = [];
  for await (const e of readLog(o.logPath, {
    follow: false,
    stdout: true,
    stderr: true,
    signal: AbortSignal.timeout(5000),
  })) {
    entries.push([e.stream, e.data.toString()]);
  }
  assert.deepEqual(entries.sort(), [
    ['stderr', 'err\n'],
    ['stdout', 'out\n'],
  ]);
  assert.equal((await fx.runtime.state(o.id))?.status, 'stopped');
  await fx.runtime.delete(o.id);
  assert.equal(await fx.runtime.state(o.id), null);
  await fx.runtime.delete(o.id); // idempotent
  await watcher.clear(o.id);
  assert.equal(await watcher.readExit(o.id), null);
});

test('a missing command rejects create with a message that maps to 127', async () => {
  const o = await fx.bundle(['nosuchcmd']);
  const err = await fx.runtime.create(o).then(
    () => assert.fail('create succeeded'),
    (e: unknown) => e,
  );
  assert.ok(isKind(err, 'System'));
  assert.match(err.message, /executable file not found/);
  assert.doesNotMatch(err.message, /level=error/);
  assert.equal(classifyStartError(err.message), 127);
  assert.equal(await fx.runtime.state(o.id), null);
  const pid = Number(await readFile(join(o.bundleDir, 'conmon.pid'), 'utf8').catch(() => '0'));
  if (pid > 0) fx.track(o.id, pid);
});

test('kill KILL gives 137; state, list, pause and resume', async () => {
  const o = await fx.bundle(['sleep', '100']);
  await createTracked(o);
  await fx.runtime.start(o.id);
  assert.equal((await fx.runtime.state(o.id))?.status, 'running');
  assert.ok((await fx.runtime.list()).some((s) => s.id === o.id && s.status === 'running'));
  await fx.runtime.pause(o.id);
  assert.equal((await fx.runtime.state(o.id))?.status, 'paused');
  await fx.runtime.resume(o.id);
  const exited = exitOf(o.id);
  await fx.runtime.kill(o.id, 'KILL');
  assert.equal(await exited, 137);
  await assert.rejects(fx.runtime.kill(o.id, 'KILL'), (e: unknown) => isKind(e, 'Conflict'));
  await assert.rejects(fx.runtime.kill(o.id, '--all'), (e: unknown) =>
    isKind(e, 'InvalidParameter'),
  );
  await assert.rejects(fx.runtime.start('-x'), (e: unknown) => isKind(e, 'InvalidParameter'));
  await assert.rejects(fx.runtime.start('nosuch'), (e: unknown) => isKind(e, 'NotFound'));
  await fx.runtime.delete(o.id);
  await watcher.clear(o.id);
});

test('follow the log of a running container until it exits, partial last line', async () => {
  const o = await fx.bundle([
    'sh',
    '-c',
    'for i in 1 2 3; do echo $i; sleep 0.1; done; printf abc',
  ]);
  await createTracked(o);
  const stopped = exitOf(o.id);
  await fx.runtime.start(o.id);
  const got: string[] = [];
  for await (const e of readLog(o.logPath, {
    follow: true,
    stdout: true,
    stderr: true,
    signal: AbortSignal.timeout(10_000),
    stopped: stopped.then(() => {}),
  })) {
    got.push(e.data.toString());
  }
  assert.deepEqual(got, ['1\n', '2\n', '3\n', 'abc']);
  assert.equal(await stopped, 0);
  await fx.runtime.delete(o.id);
  await watcher.clear(o.id);
});

test('timing: create+start+exit of `true` vs bare runc run (printed, not asserted)', async () => {
  const ours: number[] = [];
  const removal: number[] = [];
  const bare: number[] = [];
  const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
  for (let i = 0; i < 9; i++) {
    const o = await fx.bundle(['true']);
    const t0 = process.hrtime.bigint();
    const exited = exitOf(o.id);
    const c = await fx.runtime.create(o);
    await fx.runtime.start(o.id);
    assert.equal(await exited, 0);
    ours.push(ms(t0));
    const t1 = process.hrtime.bigint();
    await fx.runtime.delete(o.id);
    removal.push(ms(t1));
    fx.track(o.id, c.conmonPid);
    await watcher.clear(o.id);

    const b = await fx.bundle(['true']);
    const t2 = process.hrtime.bigint();
    const argv = ['--root', join(fx.base, 'runc'), 'run', '--bundle', b.bundleDir, b.id];
    const r = await execFile('/usr/sbin/runc', argv, { timeoutMs: 10_000 });
    bare.push(ms(t2));
    assert.equal(r.code, 0, r.stderr);
  }
  const median = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1]!;
  const [m1, m2, m3] = [median(ours), median(removal), median(bare)];
  console.log(
    `# timing (median of 9): create+start+exit ${m1.toFixed(1)} ms, + delete ${m2.toFixed(1)} ms; ` +
      `bare runc run ${m3.toFixed(1)} ms; ratio ${(m1 / m3).toFixed(2)} (with delete ${((m1 + m2) / m3).toFixed(2)})`,
  );
  assert.ok(m1 > 0 && m3 > 0);
});

test('create times out, kills conmon and its runtime child, and cleans up', async () => {
  // A "runtime" that never answers: conmon waits on it until our deadline.
  const o = await fx.bundle(['true']);
  const hang = join(fx.base, 'hang.sh');
  const hangPid = join(fx.base, 'hang.pid');
  // Only `create` hangs; the cleanup's `delete` answers at once.
  const script = `#!/bin/sh\n[ "$3" = create ] || exit 0\necho $$ > ${hangPid}\nexec sleep 30\n`;
  await writeFile(hang, script, { mode: 0o755 });
  const slow = new RuncRuntime({ root: join(fx.base, 'runc'), runtimePath: hang });
  const t0 = Date.now();
  await assert.rejects(slow.create({ ...o, timeoutMs: 500 }), /within 500 ms/);
  assert.ok(Date.now() - t0 < 3000);
  const pid = Number(await readFile(join(o.bundleDir, 'conmon.pid'), 'utf8'));
  fx.track(o.id, pid); // the fixture's cleanup fails if this conmon is still alive
  const sleeper = Number(await readFile(hangPid, 'utf8'));
  const start = await readProcessStartTime(sleeper);
  for (let i = 0; i < 20 && start !== null && (await isProcessAlive(sleeper, start)); i++) {
    await sleep(50);
  }
  assert.equal(start === null || !(await isProcessAlive(sleeper, start)), true);
});

test('a missing conmon binary rejects create with a System error', async () => {
  const o = await fx.bundle(['true']);
  const broken = new RuncRuntime({
    root: join(fx.base, 'runc'),
    conmonPath: '/nonexistent/conmon',
  });
  await assert.rejects(
    broken.create(o),
    (e: unknown) => isKind(e, 'System') && /ENOENT/.test(String(e)),
  );
  assert.equal(await fx.runtime.state(o.id), null);
});
