import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeRegistryAuth } from './auth-config.js';
import { endpointOf, isLoopbackDomain } from './endpoint.js';
import { LeaseSet } from './leases.js';
import { humanSize, progressBar } from './progress.js';

const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

test('decodeRegistryAuth reads base64url JSON, the config.json `auth` form, and refuses junk', () => {
  assert.equal(decodeRegistryAuth(undefined), undefined);
  assert.equal(decodeRegistryAuth(enc({})), undefined);
  assert.deepEqual(
    decodeRegistryAuth(enc({ username: 'u', password: 'p?>', serveraddress: 'h:1' })),
    {
      username: 'u',
      password: 'p?>',
      serveraddress: 'h:1',
    },
  );
  assert.deepEqual(decodeRegistryAuth(enc({ auth: Buffer.from('a:b:c').toString('base64') })), {
    username: 'a',
    password: 'b:c',
  });
  assert.throws(() => decodeRegistryAuth('%%%not base64'), /X-Registry-Auth/);
  assert.throws(() => decodeRegistryAuth(enc([1])), /not a JSON object/);
});

test('endpoints: loopback and listed registries over HTTP, others HTTPS; docker.io mapped', () => {
  for (const h of ['127.0.0.1:5000', '127.9.9.9', 'localhost:80', '[::1]:5000'])
    assert.ok(isLoopbackDomain(h), h);
  for (const h of ['10.0.0.1:5000', 'registry.example', '128.0.0.1'])
    assert.ok(!isLoopbackDomain(h), h);
  assert.equal(endpointOf('127.0.0.1:5000').baseUrl, 'http://127.0.0.1:5000');
  assert.equal(endpointOf('docker.io').baseUrl, 'https://registry-1.docker.io');
  assert.equal(endpointOf('reg.lan:5000', ['reg.lan:5000']).baseUrl, 'http://reg.lan:5000');
  assert.equal(endpointOf('10.1.2.3:5000', ['10.0.0.0/8']).plainHttp, true);
  assert.equal(endpointOf('11.1.2.3:5000', ['10.0.0.0/8']).plainHttp, false);
});

test('leases protect blobs and layers until released', () => {
  const leases = new LeaseSet();
  const l = leases.acquire({ blobs: ['sha256:a'] });
  l.add({ layers: ['sha256:c'] });
  assert.ok(leases.isLeased('blob', 'sha256:a'));
  assert.ok(leases.isLeased('layer', 'sha256:c'));
  assert.ok(!leases.isLeased('layer', 'sha256:a'));
  l.release();
  l.release();
  assert.equal(leases.size, 0);
  assert.ok(!leases.isLeased('blob', 'sha256:a'));
});

test('progress text as the docker CLI shows it', () => {
  assert.equal(humanSize(999), '999B');
  assert.equal(humanSize(1_500_000), '1.5MB');
  assert.equal(progressBar(50, 100, 10), '[=====>    ]      50B/100B');
  assert.equal(progressBar(100, 100, 10), '[==========]     100B/100B');
});
