import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeNullable, qualifyRefs, type JsonSchema } from './json-schema.js';
import { lenientForRequest, tolerantForResponse } from './schema-relax.js';

const config: JsonSchema = {
  type: 'object',
  properties: {
    Cmd: { type: 'array', items: { type: 'string' } },
    Env: { type: 'array', items: { type: 'string' } },
    Mode: { type: 'string', enum: ['a', 'b'] },
    Labels: { type: 'object', additionalProperties: { type: 'string' } },
    Health: { $ref: '#/definitions/Health' },
    State: { type: 'object', properties: { Pid: { type: 'integer' } } },
    MemorySwappiness: { type: 'integer' },
  },
};

test('makeNullable widens a type, its enum, or wraps a $ref; null-admitting schemas are kept', () => {
  assert.deepEqual(makeNullable({ type: 'string', enum: ['x'] }), {
    type: ['string', 'null'],
    enum: ['x', null],
  });
  assert.deepEqual(makeNullable({ $ref: '#/definitions/X' }), {
    anyOf: [{ $ref: '#/definitions/X' }, { type: 'null' }],
  });
  const already: JsonSchema = { type: ['integer', 'null'] };
  assert.equal(makeNullable(already), already);
  assert.deepEqual(makeNullable({}), {});
});

test('lenient request form: nulls below the root, strslice, empty enum value, $ref untouched', () => {
  const out = lenientForRequest(config, false);
  assert.equal(out.type, 'object', 'the root itself stays non-null');
  const p = out.properties ?? {};
  assert.deepEqual(p['Cmd']?.type, ['array', 'string', 'null']);
  assert.deepEqual(p['Env']?.type, ['array', 'null'], 'only strslice fields take a string');
  assert.deepEqual(p['Env']?.items?.type, ['string', 'null']);
  assert.deepEqual(p['Mode']?.enum, ['a', 'b', '', null]);
  assert.deepEqual(p['Health'], { $ref: '#/definitions/Health' });
  assert.deepEqual(p['State']?.properties?.['Pid']?.type, ['integer', 'null']);
  assert.deepEqual(lenientForRequest(config, true).type, ['object', 'null']);
  const bounded = lenientForRequest({ type: 'integer', minimum: 0, maximum: 100 }, false);
  assert.deepEqual(bounded, { type: 'integer' }, 'bounds are left to the services');
  assert.equal(config.properties?.['Cmd']?.type, 'array', 'the input is not mutated');
});

test('tolerant response form: arrays, maps and known pointer scalars admit null, nothing else', () => {
  const out = tolerantForResponse(config, false);
  const p = out.properties ?? {};
  assert.equal(out.type, 'object');
  assert.deepEqual(p['Cmd']?.type, ['array', 'null']);
  assert.deepEqual(p['Cmd']?.items?.type, 'string');
  assert.deepEqual(p['Labels']?.type, ['object', 'null']);
  assert.deepEqual(p['MemorySwappiness']?.type, ['integer', 'null']);
  assert.deepEqual(p['State']?.type, 'object');
  assert.deepEqual(p['Mode']?.enum, ['a', 'b']);
  assert.deepEqual(tolerantForResponse({ type: 'array' }, false), { type: 'array' });
});

test('qualifyRefs points local references into a named document', () => {
  const out = qualifyRefs({ items: { $ref: '#/definitions/X' } }, 'doc.json');
  assert.deepEqual(out, { items: { $ref: 'doc.json#/definitions/X' } });
});
