import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PATH_ENV, dockerEnv, mergeEnv } from './env.js';

test('mergeEnv replaces in place, appends new keys, unsets bare keys', () => {
  assert.deepEqual(mergeEnv(['A=1', 'B=2', 'C=3'], ['B=20', 'D=4', 'C', 'A=10']), [
    'A=10',
    'B=20',
    'D=4',
  ]);
  assert.deepEqual(mergeEnv([], ['X=a=b', 'X=']), ['X=']);
});

test('dockerEnv: defaults first, image/container env over them', () => {
  assert.deepEqual(dockerEnv({ hostname: 'h', tty: false, env: [] }), [
    DEFAULT_PATH_ENV,
    'HOSTNAME=h',
  ]);
  assert.deepEqual(dockerEnv({ hostname: 'h', tty: true, env: ['PATH=/x', 'TERM=vt100'] }), [
    'PATH=/x',
    'HOSTNAME=h',
    'TERM=vt100',
  ]);
});
