import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareApiVersions, negotiateApiVersion } from './api-version.js';
import { messageOfErrorBody } from './errors.js';
import { DEFAULT_SOCKET_PATH, resolveSocketPath } from './host.js';
import { buildQuery, imageSegment, segment } from './query.js';

test('API versions compare numerically and negotiate down only', () => {
  assert.ok(compareApiVersions('1.9', '1.10') < 0);
  assert.equal(compareApiVersions('1.56', '1.56'), 0);
  assert.equal(negotiateApiVersion('1.44', '1.56'), '1.44');
  assert.equal(negotiateApiVersion('1.60', '1.56'), '1.56');
  assert.equal(negotiateApiVersion(undefined, '1.56'), '1.56');
  assert.equal(negotiateApiVersion('garbage', '1.56'), '1.56');
});

test('socket path: -H beats BERTH_HOST beats DOCKER_HOST beats the default', () => {
  const env = { BERTH_HOST: 'unix:///b.sock', DOCKER_HOST: 'unix:///d.sock' };
  assert.equal(resolveSocketPath({ host: 'unix:///h.sock', env }), '/h.sock');
  assert.equal(resolveSocketPath({ env }), '/b.sock');
  assert.equal(resolveSocketPath({ env: { DOCKER_HOST: 'unix:///d.sock' } }), '/d.sock');
  assert.equal(resolveSocketPath({ env: { BERTH_HOST: '' } }), DEFAULT_SOCKET_PATH);
  assert.throws(() => resolveSocketPath({ host: 'tcp://1.2.3.4:2375' }), /unsupported host/);
  assert.throws(() => resolveSocketPath({ host: 'unix://relative' }), /unsupported host/);
});

test('query strings encode booleans, numbers and filter maps', () => {
  assert.equal(buildQuery({}), '');
  assert.equal(buildQuery({ a: undefined }), '');
  assert.equal(buildQuery({ all: true, limit: 3, v: false }), '?all=1&limit=3&v=0');
  assert.equal(
    buildQuery({ filters: { status: ['exited'] } }),
    `?filters=${encodeURIComponent('{"status":["exited"]}')}`,
  );
  assert.equal(buildQuery({ filters: {} }), '');
});

test('path segments are escaped; image references keep their slashes', () => {
  assert.equal(segment('a b/../c'), 'a%20b%2F..%2Fc');
  assert.equal(imageSegment('example.com:5000/lib/busybox:1'), 'example.com:5000/lib/busybox:1');
  assert.equal(imageSegment('a b@sha256:00'), 'a%20b@sha256:00');
  assert.throws(() => segment(''), /empty/);
});

test('error bodies yield their message, else their text, else the status', () => {
  assert.equal(
    messageOfErrorBody(404, '{"message":"No such container: x"}'),
    'No such container: x',
  );
  assert.equal(messageOfErrorBody(500, 'plain failure\n'), 'plain failure');
  assert.equal(messageOfErrorBody(502, ''), 'HTTP 502');
  assert.equal(messageOfErrorBody(400, '{"msg":1}'), '{"msg":1}');
});
