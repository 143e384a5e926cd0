import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { isKind } from '../errors/index.js';
import { boolQuery, filtersQuery, intQuery, readJsonBody } from './http.js';

const q = (s: string): URLSearchParams => new URLSearchParams(s);
const isBadRequest = (e: unknown): boolean => isKind(e, 'InvalidParameter');

test('boolQuery follows Docker: empty, 0, no, false, none (any case) are false; others true', () => {
  for (const v of ['1', 'true', 'True', 'yes', '2', 'maybe'])
    assert.equal(boolQuery(q(`x=${v}`), 'x'), true, v);
  for (const v of ['0', 'false', 'False', 'no', 'NONE', ' 0 ', ''])
    assert.equal(boolQuery(q(`x=${encodeURIComponent(v)}`), 'x', true), false, v);
});

test('boolQuery: absent gives the default', () => {
  assert.equal(boolQuery(q(''), 'x'), false);
  assert.equal(boolQuery(q(''), 'x', true), true);
  assert.equal(boolQuery(q('y=1'), 'x', true), true);
});

test('intQuery: integers, negatives, and the default when absent or empty', () => {
  assert.equal(intQuery(q('t=10'), 't', 5), 10);
  assert.equal(intQuery(q('t=0'), 't', 5), 0);
  assert.equal(intQuery(q('limit=-1'), 'limit', 5), -1);
  assert.equal(intQuery(q('t=007'), 't', 5), 7);
  assert.equal(intQuery(q(''), 't', 5), 5);
  assert.equal(intQuery(q('t='), 't', 5), 5);
});

test('intQuery: non-integers are a 400 naming the parameter', () => {
  for (const v of ['1.5', 'ten', '1e3', '0x10', ' 1', '--1', '1-', 'Infinity']) {
    assert.throws(
      () => intQuery(q(`t=${encodeURIComponent(v)}`), 't', 5),
      (e: unknown) =>
        isBadRequest(e) && (e as Error).message === `invalid value for query parameter t: ${v}`,
      v,
    );
  }
});

const filters = (json: string): Record<string, string[]> =>
  filtersQuery(q(`filters=${encodeURIComponent(json)}`));

test('filtersQuery: absent or empty is no filter', () => {
  assert.deepEqual(filtersQuery(q('')), {});
  assert.deepEqual(filtersQuery(q('filters=')), {});
  assert.deepEqual(filters('{}'), {});
});

test("filtersQuery: Docker's list encoding", () => {
  assert.deepEqual(filters('{"label":["a=b","c"],"status":["exited"]}'), {
    label: ['a=b', 'c'],
    status: ['exited'],
  });
  assert.deepEqual(filters('{"label":[]}'), { label: [] });
});

test("filtersQuery: Docker's map encoding (value → true)", () => {
  assert.deepEqual(filters('{"label":{"a=b":true},"name":{"web":true,"db":true}}'), {
    label: ['a=b'],
    name: ['web', 'db'],
  });
});

test('filtersQuery: malformed JSON or a wrong shape is a 400', () => {
  for (const bad of [
    '{label:["a"]}',
    '{"label":["a"]',
    'not json',
    '[]',
    '["label"]',
    'null',
    '"label"',
    '42',
    '{"label":"a=b"}',
    '{"label":42}',
    '{"label":null}',
    '{"label":[1,2]}',
    '{"label":["a",{"b":true}]}',
  ]) {
    assert.throws(
      () => filters(bad),
      (e: unknown) => isBadRequest(e) && (e as Error).message === `invalid filters: ${bad}`,
      bad,
    );
  }
});

test('filtersQuery: a "__proto__" key does not pollute Object.prototype', () => {
  filters('{"__proto__":{"polluted":true},"label":["a"]}');
  assert.equal((Object.prototype as Record<string, unknown>)['polluted'], undefined);
  assert.equal(({} as Record<string, unknown>)['0'], undefined);
});

const body = (...chunks: string[]): IncomingMessage =>
  Readable.from(chunks.map((c) => Buffer.from(c))) as unknown as IncomingMessage;

test('readJsonBody parses JSON across chunks; an empty body is undefined', async () => {
  assert.deepEqual(await readJsonBody(body('{"Image":', '"busybox"}')), { Image: 'busybox' });
  assert.equal(await readJsonBody(body()), undefined);
  assert.equal(await readJsonBody(body('  \n')), undefined);
});

test('readJsonBody: malformed JSON and oversized bodies are a 400', async () => {
  await assert.rejects(
    readJsonBody(body('{"Image":')),
    (e: unknown) => isBadRequest(e) && /^invalid JSON in request body: /.test((e as Error).message),
  );
  const big = 'x'.repeat(1024 * 1024);
  await assert.rejects(
    readJsonBody(body(...Array.from({ length: 9 }, () => big))),
    (e: unknown) => isBadRequest(e) && (e as Error).message === 'request body is too large',
  );
});
