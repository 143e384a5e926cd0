import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isKind } from '../errors/index.js';
import { compareVersions, maxApiVersion, minApiVersion, splitVersion } from './api-version.js';

test('the supported range is 1.24 to 1.56', () => {
  assert.equal(minApiVersion, '1.24');
  assert.equal(maxApiVersion, '1.56');
});

test('splitVersion takes the /vX.Y prefix off the path', () => {
  assert.deepEqual(splitVersion('/v1.45/containers/json'), {
    version: '1.45',
    path: '/containers/json',
  });
  assert.deepEqual(splitVersion('/v1.24/_ping'), { version: '1.24', path: '/_ping' });
  assert.deepEqual(splitVersion('/v1.56/containers/abc/logs'), {
    version: '1.56',
    path: '/containers/abc/logs',
  });
  assert.deepEqual(splitVersion('/v1.41/'), { version: '1.41', path: '/' });
});

test('a path without a version prefix speaks the newest version', () => {
  for (const path of ['/_ping', '/containers/json', '/', '/version', '/v1.45', '/vx.y/_ping']) {
    assert.deepEqual(splitVersion(path), { version: '1.56', path });
  }
});

test("a version below the minimum gets Docker's 'too old' message", () => {
  for (const v of ['1.12', '1.23', '0.99', '1.0']) {
    assert.throws(
      () => splitVersion(`/v${v}/containers/json`),
      (e: unknown) =>
        isKind(e, 'InvalidParameter') &&
        (e as Error).message ===
          `client version ${v} is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version`,
    );
  }
});

test("a version above the maximum gets Docker's 'too new' message", () => {
  for (const v of ['1.99', '1.57', '2.0', '1.560']) {
    assert.throws(
      () => splitVersion(`/v${v}/info`),
      (e: unknown) =>
        isKind(e, 'InvalidParameter') &&
        (e as Error).message ===
          `client version ${v} is too new. Maximum supported API version is 1.56`,
    );
  }
});

test('compareVersions compares numerically, not as text', () => {
  assert.ok(compareVersions('1.9', '1.24') < 0);
  assert.ok(compareVersions('1.24', '1.9') > 0);
  assert.ok(compareVersions('1.100', '1.56') > 0);
  assert.ok(compareVersions('2.0', '1.99') > 0);
  assert.equal(compareVersions('1.44', '1.44'), 0);
  assert.equal(compareVersions('1.044', '1.44'), 0);
  assert.ok(compareVersions('1', '1.1') < 0, 'a missing minor counts as 0');
});
