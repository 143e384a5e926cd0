import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nowNanos, parseRfc3339Nano, rfc3339Nano } from './time.js';

test('rfc3339Nano prints UTC with exactly nine fractional digits', () => {
  assert.equal(rfc3339Nano(0n), '1970-01-01T00:00:00.000000000Z');
  assert.equal(rfc3339Nano(1n), '1970-01-01T00:00:00.000000001Z');
  assert.equal(rfc3339Nano(1_700_000_000_123_456_789n), '2023-11-14T22:13:20.123456789Z');
  assert.equal(rfc3339Nano(1_700_000_000_000_000_000n), '2023-11-14T22:13:20.000000000Z');
  assert.equal(rfc3339Nano(1_700_000_000_999_999_999n), '2023-11-14T22:13:20.999999999Z');
});

test('rfc3339Nano defaults to now', () => {
  const text = rfc3339Nano();
  assert.match(text, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  assert.ok(Math.abs(Date.parse(text) - Date.now()) < 5000, text);
});

test('nowNanos tracks the wall clock', () => {
  const ns = nowNanos();
  assert.ok(Math.abs(Number(ns / 1_000_000n) - Date.now()) < 1000);
  assert.ok(nowNanos() >= ns);
});

test('parseRfc3339Nano round-trips rfc3339Nano to the nanosecond', () => {
  for (const ns of [
    0n,
    1n,
    999_999_999n,
    1_700_000_000_123_456_789n,
    1_700_000_000_000_000_001n,
    253_402_300_799_999_999_999n, // 9999-12-31T23:59:59.999999999Z
  ]) {
    assert.equal(parseRfc3339Nano(rfc3339Nano(ns)), ns, `${ns}`);
  }
});

test('parseRfc3339Nano takes any number of fractional digits, or none', () => {
  const whole = 1_700_000_000_000_000_000n;
  assert.equal(parseRfc3339Nano('2023-11-14T22:13:20Z'), whole);
  assert.equal(parseRfc3339Nano('2023-11-14T22:13:20.5Z'), whole + 500_000_000n);
  assert.equal(parseRfc3339Nano('2023-11-14T22:13:20.000123Z'), whole + 123_000n);
  // Digits past the ninth are below a nanosecond and dropped.
  assert.equal(parseRfc3339Nano('2023-11-14T22:13:20.1234567899Z'), whole + 123_456_789n);
});

test('parseRfc3339Nano applies numeric zone offsets', () => {
  const utc = parseRfc3339Nano('2023-11-14T22:13:20.123456789Z');
  assert.equal(parseRfc3339Nano('2023-11-15T00:13:20.123456789+02:00'), utc);
  assert.equal(parseRfc3339Nano('2023-11-14T17:13:20.123456789-05:00'), utc);
  assert.equal(parseRfc3339Nano('2023-11-14T22:13:20.123456789+00:00'), utc);
  assert.equal(parseRfc3339Nano('2023-11-14T22:13:20+00:00'), utc - 123_456_789n);
});

test('parseRfc3339Nano throws on text that is not a time instead of inventing one', () => {
  for (const bad of ['', 'yesterday', '2023-13-45T99:99:99Z', 'Z']) {
    assert.throws(() => parseRfc3339Nano(bad), Error, JSON.stringify(bad));
  }
});
