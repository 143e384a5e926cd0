import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pushTestImage } from './registry-images.js';
import { startRegistry } from './registry.js';

const v2 = 'application/vnd.docker.distribution.manifest.v2+json';

test('startRegistry (no auth) serves /v2/ and takes a skopeo push of each test image kind', async () => {
  const reg = await startRegistry();
  try {
    const ping = await fetch(`${reg.url}/v2/`);
    assert.equal(ping.status, 200);
    const bb = await pushTestImage(reg.host, 'test/busybox:1');
    assert.match(bb.digest, /^sha256:[0-9a-f]{64}$/);
    const res = await fetch(`${reg.url}/v2/test/busybox/manifests/1`, {
      headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('docker-content-digest'), bb.digest);
    const idx = await pushTestImage(reg.host, 'test/multi:1', { image: { kind: 'index' } });
    const ir = await fetch(`${reg.url}/v2/test/multi/manifests/${idx.digest}`, {
      headers: { Accept: 'application/vnd.oci.image.index.v1+json' },
    });
    const index = (await ir.json()) as { manifests: { platform: { architecture: string } }[] };
    assert.deepEqual(
      index.manifests.map((m) => m.platform.architecture),
      ['amd64', 'arm64'],
    );
    const rnd = await pushTestImage(reg.host, 'test/rand:1', {
      image: { kind: 'random', layers: 2, layerBytes: 1024 },
      format: 'v2s2',
    });
    const rr = await fetch(`${reg.url}/v2/test/rand/manifests/${rnd.digest}`, {
      headers: { Accept: v2 },
    });
    assert.equal(((await rr.json()) as { mediaType: string }).mediaType, v2);
  } finally {
    await reg.stop();
  }
});

for (const auth of ['basic', 'token'] as const) {
  test(`startRegistry with ${auth} auth refuses anonymous access and takes credentials`, async () => {
    const reg = await startRegistry({ auth });
    try {
      const ping = await fetch(`${reg.url}/v2/`);
      assert.equal(ping.status, 401);
      const challenge = ping.headers.get('www-authenticate') ?? '';
      assert.match(challenge, auth === 'basic' ? /^Basic realm=/ : /^Bearer realm="http:\/\/127/);
      await assert.rejects(pushTestImage(reg.host, 'test/busybox:1'));
      const pushed = await pushTestImage(reg.host, 'test/busybox:1', {
        creds: { username: reg.username, password: reg.password },
      });
      assert.match(pushed.digest, /^sha256:/);
    } finally {
      await reg.stop();
    }
  });
}
