import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timestampArg } from './timestamps.js';

test('--since values become seconds.nanoseconds like docker', () => {
  const now = 1_700_000_000_500;
  assert.equal(timestampArg('10m', now), '1699999400.500000000');
  assert.equal(timestampArg('1700000000', now), '1700000000');
  assert.equal(timestampArg('1700000000.25', now), '1700000000.25');
  assert.equal(timestampArg('0', now), '0');
  assert.equal(timestampArg('2023-11-14T22:13:20Z', now), '1700000000.000000000');
  assert.equal(timestampArg('2023-11-14T22:13:20.5+00:00', now), '1700000000.500000000');
  assert.throws(() => timestampArg('yesterday', now), /failed to parse value as time or duration/);
});
