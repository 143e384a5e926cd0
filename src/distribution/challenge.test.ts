import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChallenges } from './challenge.js';

test('parses a Bearer challenge with quoted realm, service and a scope with commas', () => {
  const [c] = parseChallenges(
    'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"',
  );
  assert.deepEqual(c, {
    scheme: 'bearer',
    params: {
      realm: 'https://auth.example/token',
      service: 'registry.example',
      scope: 'repository:a/b:pull,push',
    },
  });
});

test('parses Basic, several challenges, escapes, and junk', () => {
  assert.deepEqual(parseChallenges('Basic realm="x \\"y\\""'), [
    { scheme: 'basic', params: { realm: 'x "y"' } },
  ]);
  const two = parseChallenges('Basic realm="a", Bearer realm="b"');
  assert.deepEqual(
    two.map((c) => c.scheme),
    ['basic', 'bearer'],
  );
  assert.deepEqual(parseChallenges(''), []);
  assert.deepEqual(parseChallenges('Bearer'), [{ scheme: 'bearer', params: {} }]);
});
