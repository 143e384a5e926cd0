import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logSizeLimit, parseHumanSize, resolveLogConfig } from './log-config.js';

test('the default is json-file; local and none are drivers of their own', () => {
  assert.deepEqual(resolveLogConfig(undefined), { type: 'json-file', config: {} });
  assert.deepEqual(resolveLogConfig({ type: '', config: {} }), { type: 'json-file', config: {} });
  assert.equal(resolveLogConfig({ type: 'local' }).type, 'local');
  assert.equal(resolveLogConfig({ type: 'none' }).type, 'none');
});

test("unknown drivers and options get Docker's messages", () => {
  for (const type of ['syslog', 'journald', 'k8s-file', 'nope']) {
    assert.throws(
      () => resolveLogConfig({ type }),
      (e: Error) => e.message === `logger: no log driver named '${type}' is registered`,
    );
  }
  assert.throws(
    () => resolveLogConfig({ type: 'json-file', config: { colour: 'red' } }),
    /unknown log opt 'colour' for json-file log driver/,
  );
  assert.throws(
    () => resolveLogConfig({ type: 'none', config: { 'max-size': '1m' } }),
    /unknown log opt 'max-size' for none log driver/,
  );
  assert.throws(
    () => resolveLogConfig({ config: { tag: '{{.Name}}' } }),
    /log opt 'tag' is not supported by this engine/,
  );
});

test('max-size, max-file and compress are checked as Docker checks them', () => {
  const opts = { 'max-size': '10m', 'max-file': '3', compress: 'true' };
  assert.deepEqual(resolveLogConfig({ type: 'json-file', config: opts }).config, opts);
  const bad: [Record<string, string>, RegExp][] = [
    [{ 'max-size': 'lots' }, /invalid size: 'lots'/],
    [{ 'max-size': '0' }, /max-size must be a positive number/],
    [{ 'max-file': '0' }, /max-file cannot be less than 1/],
    [{ 'max-file': 'x' }, /parsing "x": invalid syntax/],
    [{ compress: 'maybe' }, /ParseBool: parsing "maybe"/],
    [{ compress: 'true', 'max-size': '1m' }, /compress cannot be true/],
  ];
  for (const [config, message] of bad) assert.throws(() => resolveLogConfig({ config }), message);
});

test('human sizes are decimal; the kept bytes are max-size times max-file', () => {
  assert.equal(parseHumanSize('100'), 100);
  assert.equal(parseHumanSize('10k'), 10_000);
  assert.equal(parseHumanSize('1.5m'), 1_500_000);
  assert.equal(parseHumanSize('2GB'), 2_000_000_000);
  assert.throws(() => parseHumanSize('-1k'), /invalid size/);
  assert.equal(logSizeLimit({ type: 'json-file', config: {} }), undefined);
  assert.equal(logSizeLimit({ type: 'json-file', config: { 'max-size': '1k' } }), 1000);
  const three = { 'max-size': '1k', 'max-file': '3' };
  assert.equal(logSizeLimit({ type: 'local', config: three }), 3000);
});
