import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { berth, docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { startRegistry, type TestRegistry } from '../../helpers/registry.js';
import { raw } from '../../helpers/raw-http.js';
import { assertMatchesSpec, assertStatusInSpec } from '../../compat/spec-check.js';
import { execFile } from '../../../src/lib/exec.js';
import { PushTransport } from '../../../src/distribution/push-transport.js';
import { pushBlob } from '../../../src/distribution/push-blob.js';

let d: TestDaemon;
let reg: TestRegistry;
let authReg: TestRegistry;
before(async () => {
  [d, reg, authReg] = await Promise.all([
    startTestDaemon(),
    startRegistry(),
    startRegistry({ auth: 'basic' }),
  ]);
});
after(async () => {
  await Promise.all([d.cleanup(), reg.stop(), authReg.stop()]);
});

type Msg = Record<string, unknown> & { status?: string; id?: string; error?: string };
async function push(name: string, tag: string, auth?: Record<string, string>): Promise<Msg[]> {
  const out: Msg[] = [];
  const stream = await d.client.imagePush(name, { tag, ...(auth ? { auth } : {}) });
  for await (const m of stream) out.push(m as Msg);
  return out;
}
const statuses = (ms: Msg[]) => ms.map((m) => (m.id ? `${m.id}: ${m.status}` : (m.status ?? '')));

async function skopeoDigest(ref: string, creds?: string): Promise<string> {
  const args = [
    'inspect',
    '--tls-verify=false',
    ...(creds ? ['--creds', creds] : []),
    `docker://${ref}`,
  ];
  const r = await execFile('skopeo', args, { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { Digest: string }).Digest;
}

test('push: progress as dockerd, the digest line, and the registry holds the same manifest', async () => {
  await d.client.imageTag('busybox', `${reg.host}/test/busybox`, '1');
  const ms = await push(`${reg.host}/test/busybox`, '1');
  const st = statuses(ms);
  assert.equal(st[0], `The push refers to repository [${reg.host}/test/busybox]`);
  assert.ok(
    st.some((s) => /^[0-9a-f]{12}: Preparing$/.test(s)),
    st.join('\n'),
  );
  assert.ok(
    st.some((s) => /^[0-9a-f]{12}: Pushed$/.test(s)),
    st.join('\n'),
  );
  const final = ms.find((m) => m.status?.startsWith('1: digest: '));
  assert.ok(final, st.join('\n'));
  const m = /^1: digest: (sha256:[0-9a-f]{64}) size: (\d+)$/.exec(final.status ?? '');
  assert.ok(m);
  const aux = ms.find((x) => x['aux'])?.['aux'] as { Digest: string; Size: number; Tag: string };
  assert.deepEqual(aux, { Tag: '1', Digest: m[1], Size: Number(m[2]) });
  assert.equal(await skopeoDigest(`${reg.host}/test/busybox:1`), m[1]);
  const img = await d.client.imageInspect('busybox');
  assert.ok(img.RepoDigests?.includes(`${reg.host}/test/busybox@${m[1]}`), img.RepoDigests?.join());
});

test('push again: layers already exist; to another repository: mounted from the first', async () => {
  const again = statuses(await push(`${reg.host}/test/busybox`, '1'));
  assert.ok(
    again.some((s) => /: Layer already exists$/.test(s)),
    again.join('\n'),
  );
  await d.client.imageTag('busybox', `${reg.host}/other/copy`, '2');
  const mounted = statuses(await push(`${reg.host}/other/copy`, '2'));
  assert.ok(
    mounted.some((s) => /: Mounted from test\/busybox$/.test(s)),
    mounted.join('\n'),
  );
  assert.equal(
    await skopeoDigest(`${reg.host}/other/copy:2`),
    await skopeoDigest(`${reg.host}/test/busybox:1`),
  );
});

test('push of a name with no local image is a 404 before any 200; the 200 is in the spec', async () => {
  const r = await raw(d.socket, 'POST', `/v1.56/images/${reg.host}/nosuch/push?tag=1`, undefined, {
    'X-Registry-Auth': 'e30=',
  });
  assert.equal(r.status, 404);
  assertMatchesSpec('POST', '/images/{name}/push', 404, r.json);
  assert.equal(
    (r.json as { message: string }).message,
    `An image does not exist locally with the tag: ${reg.host}/nosuch:1`,
  );
  const ok = await raw(d.socket, 'POST', `/v1.56/images/${reg.host}/test/busybox/push?tag=1`);
  assertStatusInSpec('POST', '/images/{name}/push', ok.status);
  assert.equal(ok.status, 200);
});

test('docker push and berth push print the digest line like Docker', async () => {
  await d.client.imageTag('busybox', `${reg.host}/cli/busybox`, '3');
  const r = await docker(d, ['push', `${reg.host}/cli/busybox:3`]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /The push refers to repository \[127\.0\.0\.1:\d+\/cli\/busybox\]/);
  assert.match(r.stdout, /3: digest: sha256:[0-9a-f]{64} size: \d+/);
  const b = await berth(d, ['push', `${reg.host}/cli/busybox:3`]);
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stdout, /Layer already exists/);
  assert.match(b.stdout, /3: digest: sha256:[0-9a-f]{64} size: \d+/);
});

test('a registry with basic auth: credentials from X-Registry-Auth; without them an error line', async () => {
  await d.client.imageTag('busybox', `${authReg.host}/secure/busybox`, '1');
  const denied = await push(`${authReg.host}/secure/busybox`, '1');
  const err = denied.find((m) => m.error);
  assert.ok(err, statuses(denied).join('\n'));
  assert.match(String(err.error), /unauthorized|authentication required/i);
  const ok = await push(`${authReg.host}/secure/busybox`, '1', {
    username: authReg.username,
    password: authReg.password,
  });
  assert.ok(!ok.some((m) => m.error), JSON.stringify(ok));
  assert.ok(ok.some((m) => m.status?.startsWith('1: digest: ')));
});

test('chunked upload (PATCH chunks, then PUT) lands the exact blob', async () => {
  const data = randomBytes(300_000);
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}` as const;
  const t = new PushTransport(reg.host, undefined);
  const seen: number[] = [];
  const r = await pushBlob(
    t,
    'chunks/blob',
    {
      digest,
      size: data.length,
      open: (range) => Readable.from([range ? data.subarray(range.start, range.end) : data]),
    },
    { chunkSize: 64 * 1024, onProgress: (n) => seen.push(n) },
  );
  assert.deepEqual(r, { how: 'pushed' });
  assert.deepEqual(seen, [65536, 131072, 196608, 262144, 300000, 300000]);
  const got = await fetch(`${reg.url}/v2/chunks/blob/blobs/${digest}`);
  assert.equal(got.status, 200);
  assert.ok(Buffer.from(await got.arrayBuffer()).equals(data));
  assert.deepEqual(
    await pushBlob(t, 'chunks/blob', {
      digest,
      size: data.length,
      open: () => Readable.from([data]),
    }),
    { how: 'exists' },
  );
});

test('interop: skopeo copies the pushed image to an OCI layout with the same digests', async () => {
  const dir = `/tmp/berth-test-oci-${randomBytes(4).toString('hex')}`;
  try {
    const r = await execFile(
      'skopeo',
      [
        'copy',
        '--src-tls-verify=false',
        `docker://${reg.host}/test/busybox:1`,
        `oci:${dir}:copied`,
      ],
      { timeoutMs: 120_000 },
    );
    assert.equal(r.code, 0, r.stderr);
    const index = JSON.parse(await readFile(`${dir}/index.json`, 'utf8')) as {
      manifests: { digest: string }[];
    };
    const pushed = await skopeoDigest(`${reg.host}/test/busybox:1`);
    assert.equal(index.manifests[0]?.digest, pushed);
    const manifest = JSON.parse(
      await readFile(`${dir}/blobs/sha256/${pushed.slice(7)}`, 'utf8'),
    ) as { config: { digest: string }; layers: { digest: string }[] };
    const img = await d.client.imageInspect('busybox');
    assert.equal(manifest.config.digest, img.Id);
    for (const l of manifest.layers) {
      const bytes = await readFile(`${dir}/blobs/sha256/${l.digest.slice(7)}`);
      assert.equal(`sha256:${createHash('sha256').update(bytes).digest('hex')}`, l.digest);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('push without a tag pushes every local tag of the repository', async () => {
  await d.client.imageTag('busybox', `${reg.host}/all/busybox`, 'a');
  await d.client.imageTag('busybox', `${reg.host}/all/busybox`, 'b');
  const st = statuses(await push(`${reg.host}/all/busybox`, ''));
  assert.ok(
    st.some((s) => s.startsWith('a: digest: ')),
    st.join('\n'),
  );
  assert.ok(
    st.some((s) => s.startsWith('b: digest: ')),
    st.join('\n'),
  );
});
