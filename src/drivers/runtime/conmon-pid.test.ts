import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  cmdlineNamesContainer,
  isConmonAlive,
  isProcessAlive,
  parseProcStat,
  readProcStat,
  readProcessStartTime,
} from './conmon-pid.js';

test('parseProcStat copes with spaces and parentheses in comm', () => {
  const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
  fields[0] = 'Z';
  fields[19] = '123456789';
  const s = parseProcStat(`42 (we (ird) name) ${fields.join(' ')}\n`);
  assert.deepEqual(s, { state: 'Z', startTime: 123456789n });
  assert.equal(parseProcStat('garbage'), null);
  assert.equal(parseProcStat('1 (x) S 2 3'), null);
});

test('cmdlineNamesContainer needs the id as the -c argument', () => {
  const argv = ['/usr/bin/conmon', '--api-version', '1', '-c', 'abc', '-u', 'abc', ''];
  assert.ok(cmdlineNamesContainer(argv, 'abc'));
  assert.ok(cmdlineNamesContainer(['conmon', '--cid=abc'], 'abc'));
  assert.equal(cmdlineNamesContainer(argv, 'ab'), false);
  assert.equal(cmdlineNamesContainer(['conmon', '-n', 'abc'], 'abc'), false);
});

test('isProcessAlive checks the start time; dead and zombie processes are not alive', async () => {
  const start = await readProcessStartTime(process.pid);
  assert.ok(start !== null && start > 0n);
  assert.ok(await isProcessAlive(process.pid, start));
  assert.equal(await isProcessAlive(process.pid, start + 1n), false);
  assert.equal(await isProcessAlive(-1, 0), false);
  // The background `sleep` exits while its parent (exec'd into another sleep) never reaps it:
  // a zombie, which kill(pid, 0) would call alive.
  const parent = spawn('/bin/sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 5'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const exited = once(parent, 'exit');
  try {
    const [line] = (await once(parent.stdout!, 'data')) as [Buffer];
    const zombie = Number(line.toString().trim());
    const zstart = await readProcessStartTime(zombie);
    assert.ok(zstart !== null);
    await sleep(300);
    assert.equal((await readProcStat(zombie))?.state, 'Z');
    assert.equal(await isProcessAlive(zombie, zstart), false);
  } finally {
    parent.kill('SIGKILL');
    await exited;
  }
  assert.equal(await isProcessAlive(parent.pid!, 0), false);
  assert.equal(await isConmonAlive(process.pid, 'abc'), false);
});
