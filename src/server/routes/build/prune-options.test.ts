import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthError } from '../../../errors/index.js';
import { pruneOptionsFromQuery } from './prune-options.js';

const now = Date.parse('2026-01-02T03:04:05Z');
const parse = (query: string) => pruneOptionsFromQuery(new URLSearchParams(query), now);
const filters = (f: unknown) => `filters=${encodeURIComponent(JSON.stringify(f))}`;
const refused = (query: string, message: RegExp) =>
  assert.throws(
    () => parse(query),
    (e: unknown) =>
      e instanceof BerthError && e.kind === 'InvalidParameter' && message.test(e.message),
  );

test('no query: nothing but the defaults', () => {
  assert.deepEqual(parse(''), { all: false, reservedSpace: 0, maxUsedSpace: 0, minFreeSpace: 0 });
});

test('until takes a Go duration, Unix seconds or an RFC 3339 date; unused-for is its old name', () => {
  assert.equal(parse(filters({ until: { '24h': true } })).untilMs, now - 86_400_000);
  assert.equal(parse(filters({ until: ['1h30m'] })).untilMs, now - 5_400_000);
  assert.equal(parse(filters({ until: ['1700000000'] })).untilMs, 1_700_000_000_000);
  assert.equal(
    parse(filters({ until: ['2025-12-31T00:00:00Z'] })).untilMs,
    Date.parse('2025-12-31T00:00:00Z'),
  );
  assert.equal(parse(filters({ 'unused-for': ['10m'] })).untilMs, now - 600_000);
});

test('value filters and flags are carried over; private is the opposite of shared', () => {
  const o = parse(
    filters({
      id: ['abc'],
      parent: ['def'],
      description: ['RUN x'],
      type: ['regular'],
      inuse: [''],
      shared: ['false'],
      private: ['true'],
    }),
  );
  assert.deepEqual(
    [o.id, o.parent, o.description, o.type, o.inUse, o.shared, o.private],
    ['abc', 'def', 'RUN x', 'regular', true, false, true],
  );
});

test('all and the space parameters; keep-storage is the older reserved-space', () => {
  const o = parse('all=1&max-used-space=100&min-free-space=200');
  assert.deepEqual([o.all, o.maxUsedSpace, o.minFreeSpace, o.reservedSpace], [true, 100, 200, 0]);
  assert.equal(parse('keep-storage=1048576').reservedSpace, 1_048_576);
  assert.equal(parse('keep-storage=1&reserved-space=5').reservedSpace, 5);
});

test('bad filters and values are refused with dockerd messages', () => {
  refused(filters({ dangling: ['true'] }), /^invalid filter 'dangling'$/);
  refused(filters({ id: ['a', 'b'] }), /^filters expect only one value$/);
  refused(filters({ until: ['1h'], 'unused-for': ['1h'] }), /conflicting filters/);
  refused(filters({ until: ['yesterday'] }), /"until" filter expects a duration/);
  refused(filters({ shared: ['maybe'] }), /^invalid filter 'shared=maybe'$/);
  refused('filters=%7Bnot-json', /^invalid filters/);
  refused('keep-storage=1MB', /keep-storage is in bytes and expects an integer, got 1MB/);
  refused('max-used-space=-1', /max-used-space is in bytes/);
});
