import assert from 'node:assert/strict';
import { test } from 'node:test';
import { humanDuration } from './human-duration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;

/** [duration in ms, Docker's go-units HumanDuration text] at each boundary of its table. */
const table: [number, string][] = [
  [-5 * s, 'Less than a second'],
  [0, 'Less than a second'],
  [999, 'Less than a second'],
  [1 * s, '1 second'],
  [2 * s - 1, '1 second'],
  [2 * s, '2 seconds'],
  [60 * s - 1, '59 seconds'],
  [1 * m, 'About a minute'],
  [2 * m - 1, 'About a minute'],
  [2 * m, '2 minutes'],
  [60 * m - 1, '59 minutes'],
  [1 * h, 'About an hour'],
  // Hours are rounded to the nearest hour from here on.
  [1.5 * h - 1, 'About an hour'],
  [1.5 * h, '2 hours'],
  [47.5 * h - 1, '47 hours'],
  [47.5 * h, '2 days'],
  [72 * h, '3 days'],
  [335.5 * h - 1, '13 days'],
  [335.5 * h, '2 weeks'],
  [1439.5 * h - 1, '8 weeks'],
  [1439.5 * h, '2 months'],
  [17519.5 * h - 1, '24 months'],
  // go-units takes years from the truncated hours, so this rounds up to the years branch as "1".
  [17519.5 * h, '1 years'],
  [17520 * h, '2 years'],
  [10 * 8760 * h, '10 years'],
];

test("humanDuration follows go-units' HumanDuration at every boundary", () => {
  for (const [ms, text] of table) assert.equal(humanDuration(ms), text, `${ms} ms`);
});

test('humanDuration truncates fractional milliseconds like Go truncates durations', () => {
  assert.equal(humanDuration(1999.9), '1 second');
  assert.equal(humanDuration(59_999.9), '59 seconds');
});
