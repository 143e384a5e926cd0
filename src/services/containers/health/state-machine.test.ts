import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  HEALTH_LOG_SIZE,
  applyProbeResult,
  healthFilterValue,
  startingHealth,
  stoppedHealth,
  type HealthResult,
  type HealthState,
} from './state-machine.js';

const result = (exitCode: number, output = ''): HealthResult => ({
  start: '2024-01-01T00:00:00.000000000Z',
  end: '2024-01-01T00:00:00.100000000Z',
  exitCode,
  output,
});

/** Applies exit codes in order with the given rules; returns every intermediate status. */
function run(codes: number[], retries = 3, inStartPeriod = false): HealthState[] {
  const states: HealthState[] = [];
  let s = startingHealth();
  for (const code of codes) {
    s = applyProbeResult(s, result(code), { retries, inStartPeriod });
    states.push(s);
  }
  return states;
}

test('a new check is starting with streak 0 and an empty log', () => {
  assert.deepEqual(startingHealth(), { status: 'starting', failingStreak: 0, log: [] });
});

test('failures stay starting until the streak reaches retries, then unhealthy', () => {
  const s = run([1, 1, 1], 3);
  assert.deepEqual(
    s.map((x) => [x.status, x.failingStreak]),
    [
      ['starting', 1],
      ['starting', 2],
      ['unhealthy', 3],
    ],
  );
});

test('a success makes it healthy and resets the streak; failures from healthy count again', () => {
  const s = run([1, 0, 1, 1], 2);
  assert.deepEqual(
    s.map((x) => [x.status, x.failingStreak]),
    [
      ['starting', 1],
      ['healthy', 0],
      ['healthy', 1],
      ['unhealthy', 2],
    ],
  );
  assert.equal(run([1, 1, 0], 2).at(-1)?.status, 'healthy');
});

test('any non-zero exit code (also -1 for a timeout) is a failure', () => {
  assert.equal(run([-1], 1)[0]?.status, 'unhealthy');
  assert.equal(run([2], 1)[0]?.status, 'unhealthy');
  assert.equal(run([137], 1)[0]?.failingStreak, 1);
});

test('failures within the start period do not count while starting', () => {
  const s = run([1, 1, 1, 1], 1, true);
  assert.ok(s.every((x) => x.status === 'starting' && x.failingStreak === 0));
  assert.equal(s.at(-1)?.log.length, 4, 'but they are logged');
});

test('a success ends the start period: later failures count even within it', () => {
  const s = run([0, 1], 1, true);
  assert.equal(s[0]?.status, 'healthy');
  assert.deepEqual([s[1]?.status, s[1]?.failingStreak], ['unhealthy', 1]);
});

test('the log keeps the last five results, oldest first', () => {
  let s = startingHealth();
  for (let i = 0; i < 8; i++) {
    s = applyProbeResult(s, result(i % 2, `run ${i}`), { retries: 3, inStartPeriod: false });
  }
  assert.equal(s.log.length, HEALTH_LOG_SIZE);
  assert.deepEqual(
    s.log.map((r) => r.output),
    ['run 3', 'run 4', 'run 5', 'run 6', 'run 7'],
  );
});

test('applying a result does not mutate the previous state', () => {
  const before = startingHealth();
  applyProbeResult(before, result(1), { retries: 1, inStartPeriod: false });
  assert.deepEqual(before, startingHealth());
});

test('a restart resets status and streak but keeps the log; a stop reads unhealthy', () => {
  const [, unhealthy] = run([1, 1], 2);
  assert.ok(unhealthy);
  const restarted = startingHealth(unhealthy);
  assert.deepEqual([restarted.status, restarted.failingStreak], ['starting', 0]);
  assert.equal(restarted.log.length, 2);
  const healthy = run([0])[0];
  assert.ok(healthy);
  assert.equal(stoppedHealth(healthy).status, 'unhealthy');
  assert.equal(healthy.status, 'healthy');
});

test('the health list filter value: the status, or none without a check', () => {
  assert.equal(healthFilterValue(undefined), 'none');
  assert.equal(healthFilterValue(startingHealth()), 'starting');
});
