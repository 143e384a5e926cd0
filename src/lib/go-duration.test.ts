import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDockerTime, parseGoDuration } from './go-duration.js';

test('Go durations parse into milliseconds', () => {
  assert.equal(parseGoDuration('10s'), 10_000);
  assert.equal(parseGoDuration('1h30m'), 5_400_000);
  assert.equal(parseGoDuration('1.5h'), 5_400_000);
  assert.equal(parseGoDuration('250ms'), 250);
  assert.equal(parseGoDuration('-2m'), -120_000);
  assert.equal(parseGoDuration('10'), undefined);
  assert.equal(parseGoDuration('abc'), undefined);
  assert.equal(parseGoDuration('.s'), undefined);
});

test("Docker's filter times: unix seconds, a duration ago, or a date", () => {
  const now = 1_700_000_000_000;
  assert.equal(parseDockerTime('1700000000.5', now), 1_700_000_000_500);
  assert.equal(parseDockerTime('10m', now), now - 600_000);
  assert.equal(parseDockerTime('2023-11-14T22:13:20Z', now), 1_700_000_000_000);
  assert.equal(parseDockerTime('soon', now), undefined);
});
