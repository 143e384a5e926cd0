import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chainId, chainIds } from './chain-id.js';
import { isKind } from '../../errors/index.js';
import type { Digest } from '../../lib/digest.js';

const d = (c: string): Digest => `sha256:${c.repeat(64)}`;
const sha = (s: string): Digest => `sha256:${createHash('sha256').update(s).digest('hex')}`;

test('chain id of one layer is its diff id', () => {
  assert.deepEqual(chainIds([d('a')]), [d('a')]);
  assert.equal(chainId([d('a')]), d('a'));
});

test('chain ids fold with a single space, bottom first', () => {
  const c1 = sha(`${d('a')} ${d('b')}`);
  const c2 = sha(`${c1} ${d('c')}`);
  assert.deepEqual(chainIds([d('a'), d('b'), d('c')]), [d('a'), c1, c2]);
  assert.notEqual(chainId([d('b'), d('a')]), chainId([d('a'), d('b')]), 'order matters');
});

test('empty stack and invalid diff ids', () => {
  assert.deepEqual(chainIds([]), []);
  assert.equal(chainId([]), null);
  assert.throws(
    () => chainIds(['sha256:xyz' as Digest]),
    (e) => isKind(e, 'InvalidParameter'),
  );
});
