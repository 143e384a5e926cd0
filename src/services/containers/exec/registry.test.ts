import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isKind } from '../../../errors/index.js';
import { ExecRegistry, FINISHED_EXEC_TTL_MS } from './registry.js';
import type { ExecPhase, ExecRecord } from './types.js';

function record(id: string, containerId: string, phase: ExecPhase, exitedAt = 0): ExecRecord {
  return {
    id,
    containerId,
    config: {
      cmd: ['true'],
      env: [],
      workingDir: '',
      user: '',
      privileged: false,
      tty: false,
      attachStdin: false,
      attachStdout: false,
      attachStderr: false,
      detachKeys: '',
      consoleSize: null,
    },
    phase,
    pid: 0,
    exitCode: phase === 'exited' ? 0 : null,
    exitedAt,
    execDir: '/nonexistent',
    started: Promise.resolve(),
    markStarted: () => undefined,
  };
}

test('get: a known exec, or NotFound with Docker message', () => {
  const reg = new ExecRegistry();
  reg.add(record('e1', 'c1', 'created'));
  assert.equal(reg.get('e1').containerId, 'c1');
  assert.throws(
    () => reg.get('nosuch'),
    (e: unknown) =>
      isKind(e, 'NotFound') && (e as Error).message === 'No such exec instance: nosuch',
  );
});

test('dropContainer forgets only that container; runningOf lists running execs', () => {
  const reg = new ExecRegistry();
  reg.add(record('e1', 'c1', 'running'));
  reg.add(record('e2', 'c1', 'created'));
  reg.add(record('e3', 'c2', 'running'));
  assert.deepEqual(reg.runningOf('c1'), ['e1']);
  reg.dropContainer('c1');
  assert.equal(reg.size, 1);
  assert.equal(reg.get('e3').containerId, 'c2');
});

test('finished execs are pruned after the TTL; running and unstarted ones are kept', () => {
  let now = 1_000_000;
  const reg = new ExecRegistry(() => now);
  reg.add(record('old', 'c', 'exited', now));
  reg.add(record('run', 'c', 'running'));
  reg.add(record('new', 'c', 'created'));
  now += FINISHED_EXEC_TTL_MS + 1;
  assert.throws(() => reg.get('old'));
  assert.equal(reg.get('run').phase, 'running');
  assert.equal(reg.get('new').phase, 'created');
});
