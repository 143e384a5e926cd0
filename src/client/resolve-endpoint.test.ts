import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeEndpoint } from './endpoint.js';
import { parseTcpHost, resolveEndpoint } from './resolve-endpoint.js';

test('parseTcpHost: host, port, IPv6 and default ports; junk refused', () => {
  assert.deepEqual(parseTcpHost('tcp://127.0.0.1:2376', 2375), {
    hostname: '127.0.0.1',
    port: 2376,
  });
  assert.deepEqual(parseTcpHost('tcp://localhost', 2375), { hostname: 'localhost', port: 2375 });
  assert.deepEqual(parseTcpHost('tcp://[::1]:99/', 2375), { hostname: '::1', port: 99 });
  for (const bad of ['tcp://', 'tcp://h:0', 'tcp://h:70000', 'tcp://u@h:1', 'tcp://h:1/path']) {
    assert.throws(() => parseTcpHost(bad, 2375), /expected tcp:\/\/host\[:port\]/, bad);
  }
});

test('resolveEndpoint: -H over BERTH_HOST over DOCKER_HOST; unix by default', () => {
  assert.deepEqual(resolveEndpoint({ env: {} }), {
    kind: 'unix',
    socketPath: '/run/berth/berth.sock',
  });
  const env = { BERTH_HOST: 'unix:///b.sock', DOCKER_HOST: 'tcp://127.0.0.1:1' };
  assert.deepEqual(resolveEndpoint({ env }), { kind: 'unix', socketPath: '/b.sock' });
  assert.deepEqual(resolveEndpoint({ env: { DOCKER_HOST: 'tcp://127.0.0.1:5' } }), {
    kind: 'tcp',
    host: '127.0.0.1',
    port: 5,
  });
  const ep = resolveEndpoint({ host: 'tcp://10.0.0.1', env });
  assert.equal(describeEndpoint(ep), 'tcp://10.0.0.1:2375');
});

test('resolveEndpoint: DOCKER_TLS_VERIFY and DOCKER_CERT_PATH load ca/cert/key; flags win', async () => {
  const dir = await mkdtemp('/tmp/bcert-');
  try {
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) await writeFile(join(dir, f), f);
    const ep = resolveEndpoint({
      env: { DOCKER_HOST: 'tcp://127.0.0.1', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: dir },
    });
    assert.equal(ep.kind, 'tcp');
    if (ep.kind !== 'tcp') return;
    assert.equal(ep.port, 2376);
    assert.equal(ep.tls?.verify, true);
    assert.equal(ep.tls?.ca?.toString(), 'ca.pem');
    assert.equal(ep.tls?.cert?.toString(), 'cert.pem');
    assert.equal(ep.tls?.key?.toString(), 'key.pem');
    // --tls alone: no verification, so no CA is needed.
    const plain = resolveEndpoint({ host: 'tcp://h:1', tls: true, env: { HOME: '/nonexistent' } });
    assert.deepEqual(plain, { kind: 'tcp', host: 'h', port: 1, tls: { verify: false } });
    assert.throws(
      () =>
        resolveEndpoint({ host: 'tcp://h:1', tls: true, tlscert: join(dir, 'nope.pem'), env: {} }),
      /could not read .*nope\.pem/,
    );
    assert.throws(
      () =>
        resolveEndpoint({
          host: 'tcp://h:1',
          tls: true,
          tlscert: join(dir, 'cert.pem'),
          env: { HOME: '/nonexistent' },
        }),
      /needs its key/,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
