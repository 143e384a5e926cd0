import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goDuration } from './go-duration.js';

test('durations print as Go prints time.Duration', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [999, '999ns'],
    [1500, '1.5µs'],
    [1_000_000, '1ms'],
    [300_000_000, '300ms'],
    [1_500_000, '1.5ms'],
    [1_000_000_000, '1s'],
    [30_000_000_000, '30s'],
    [1_500_000_000, '1.5s'],
    [90_000_000_000, '1m30s'],
    [3_600_000_000_000, '1h0m0s'],
    [3_661_000_000_000, '1h1m1s'],
    [-2_000_000_000, '-2s'],
  ];
  for (const [ns, text] of cases) assert.equal(goDuration(ns), text, String(ns));
});
