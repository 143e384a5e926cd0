import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ErrorObject } from 'ajv';
import { describeError, fieldPath } from './error-path.js';

test('fieldPath tells array indexes from numeric map keys and quotes odd keys', () => {
  const data = { A: [{ '0': { 'x/y': 1, 'a~b': 2 } }] };
  assert.equal(fieldPath('', data), '');
  assert.equal(fieldPath('/A/0/0', data), 'A[0]["0"]');
  assert.equal(fieldPath('/A/0/0/x~1y', data), 'A[0]["0"]["x/y"]');
  assert.equal(fieldPath('/A/0/0/a~0b', data), 'A[0]["0"]["a~b"]');
  assert.equal(fieldPath('/Missing/deeper', data), 'Missing.deeper');
});

test('describeError words type, enum and required errors for users', () => {
  const base = { schemaPath: '#', message: 'unused' };
  const typeErr: ErrorObject = {
    ...base,
    keyword: 'type',
    instancePath: '/a',
    params: { type: ['integer', 'null'] },
  };
  assert.deepEqual(describeError(typeErr, { a: 'x' }, 'body'), {
    field: 'a',
    message: 'invalid value for a: must be integer',
  });
  const enumErr: ErrorObject = {
    ...base,
    keyword: 'enum',
    instancePath: '',
    params: { allowedValues: ['x', null] },
  };
  assert.equal(describeError(enumErr, 'y', 'body').message, 'invalid body: must be one of: "x"');
  const reqErr: ErrorObject = {
    ...base,
    keyword: 'required',
    instancePath: '/a',
    params: { missingProperty: 'B' },
  };
  assert.deepEqual(describeError(reqErr, { a: {} }, 'body'), {
    field: 'a.B',
    message: 'missing required field a.B',
  });
  const minErr: ErrorObject = {
    ...base,
    keyword: 'minimum',
    instancePath: '/n',
    params: {},
    message: 'must be >= 0',
  };
  assert.equal(
    describeError(minErr, { n: -1 }, 'body').message,
    'invalid value for n: must be >= 0',
  );
});
