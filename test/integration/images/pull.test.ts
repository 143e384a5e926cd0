import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { digestOf } from '../../../src/lib/digest.js';
import { assertMatchesSpec, assertStatusInSpec } from '../../compat/spec-check.js';
import { raw } from '../../helpers/raw-http.js';
import {
  bytes,
  smallImage,
  startFakeRegistry,
  type FakeRegistry,
} from '../../helpers/registry-fake.js';
import { pushTestImage } from '../../helpers/registry-images.js';
import { startRegistry, type TestRegistry } from '../../helpers/registry.js';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';

type Line = { status?: string; id?: string; error?: string; progressDetail?: { current?: number } };
const lines = (text: string): Line[] =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line);
const authHeader = (o: object) => ({
  'X-Registry-Auth': Buffer.from(JSON.stringify(o)).toString('base64url'),
});
const pull = (
  d: TestDaemon,
  from: string,
  tag: string,
  extra = '',
  headers: Record<string, string> = {},
) =>
  raw(
    d.socket,
    'POST',
    `/images/create?fromImage=${encodeURIComponent(from)}&tag=${encodeURIComponent(tag)}${extra}`,
    undefined,
    headers,
  );

let d: TestDaemon;
let reg: TestRegistry;
let fake: FakeRegistry;

before(async () => {
  [d, reg, fake] = await Promise.all([startTestDaemon(), startRegistry(), startFakeRegistry()]);
});
after(async () => {
  await Promise.all([d?.cleanup(), reg?.stop(), fake?.stop()]);
});

const layerDirs = () => readdir(join(d.dataRoot, 'overlay', 'layers')).catch(() => [] as string[]);

describe('pull from a real registry', () => {
  test('by tag: progress JSON, tag and repo digest registered, spec-valid; re-pull is up to date', async () => {
    const img = await pushTestImage(reg.host, 'test/rand:1', {
      image: { kind: 'random', layers: 2, layerBytes: 300_000, withBusybox: true },
    });
    const r = await pull(d, `${reg.host}/test/rand`, '1');
    assert.equal(r.status, 200);
    assertStatusInSpec('POST', '/images/create', 200);
    const msgs = lines(r.text);
    const statuses = msgs.map((m) => m.status);
    assert.deepEqual(msgs[0], { status: 'Pulling from test/rand', id: '1' });
    for (const s of [
      'Pulling fs layer',
      'Downloading',
      'Verifying Checksum',
      'Download complete',
      'Pull complete',
    ])
      assert.ok(statuses.includes(s), `missing ${s} in ${statuses.join(', ')}`);
    assert.ok(msgs.some((m) => m.status === 'Downloading' && (m.progressDetail?.current ?? 0) > 0));
    assert.equal(statuses.at(-2), `Digest: ${img.digest}`);
    assert.equal(statuses.at(-1), `Status: Downloaded newer image for ${reg.host}/test/rand:1`);
    const inspect = await raw(d.socket, 'GET', `/images/${reg.host}/test/rand:1/json`);
    assertMatchesSpec('GET', '/images/{name}/json', 200, inspect.json);
    const info = inspect.json as {
      RepoTags: string[];
      RepoDigests: string[];
      RootFS: { Layers: string[] };
    };
    assert.deepEqual(info.RepoTags, [`${reg.host}/test/rand:1`]);
    assert.deepEqual(info.RepoDigests, [`${reg.host}/test/rand@${img.digest}`]);
    assert.equal(info.RootFS.Layers.length, 3);
    const again = lines((await pull(d, `${reg.host}/test/rand`, '1')).text);
    assert.equal(again.at(-1)?.status, `Status: Image is up to date for ${reg.host}/test/rand:1`);
    assert.ok(again.every((m) => m.status !== 'Downloading'));
  });

  test('by digest, of an image skopeo converted to Docker v2 schema 2 (plain and gzip layers)', async () => {
    const img = await pushTestImage(reg.host, 'test/v2s2:1', {
      image: { kind: 'random', layers: 2, layerBytes: 100_000, gzip: false, withBusybox: true },
      format: 'v2s2',
    });
    const r = await pull(d, `${reg.host}/test/v2s2`, img.digest);
    assert.equal(r.status, 200, r.text);
    assert.equal(
      lines(r.text).at(-1)?.status,
      `Status: Downloaded newer image for ${img.digestRef}`,
    );
    const info = (await raw(d.socket, 'GET', `/images/${img.digestRef}/json`)).json as {
      RepoTags: string[];
      RepoDigests: string[];
    };
    assert.deepEqual(info.RepoTags, []);
    assert.deepEqual(info.RepoDigests, [img.digestRef]);
  });

  test('manifest list: linux/amd64 by default, platform=linux/arm64 picks the other, unknown platform 404', async () => {
    await pushTestImage(reg.host, 'test/multi:1', { image: { kind: 'index' } });
    const a = await pull(d, `${reg.host}/test/multi`, '1');
    assert.equal(a.status, 200);
    const amd = (await raw(d.socket, 'GET', `/images/${reg.host}/test/multi:1/json`)).json as {
      Architecture: string;
      Id: string;
    };
    assert.equal(amd.Architecture, 'amd64');
    const b = await pull(d, `${reg.host}/test/multi`, '1', '&platform=linux/arm64');
    assert.equal(b.status, 200, b.text);
    const arm = (await raw(d.socket, 'GET', `/images/${reg.host}/test/multi:1/json`)).json as {
      Architecture: string;
      Id: string;
    };
    assert.equal(arm.Architecture, 'arm64');
    assert.notEqual(arm.Id, amd.Id);
    const c = await pull(d, `${reg.host}/test/multi`, '1', '&platform=linux/s390x');
    assert.equal(c.status, 404);
    assert.match((c.json as { message: string }).message, /no matching manifest for linux\/s390x/);
  });

  test('unknown tag and unknown repository are 404 before any 200, with the registry message', async () => {
    const r = await pull(d, `${reg.host}/test/rand`, 'nope');
    assert.equal(r.status, 404);
    assertMatchesSpec('POST', '/images/create', 404, r.json);
    assert.match(
      (r.json as { message: string }).message,
      /manifest for .*test\/rand:nope not found: manifest_unknown/,
    );
    const u = await pull(d, `${reg.host}/no/such`, '1');
    assert.equal(u.status, 404);
    assert.match((u.json as { message: string }).message, /not found|repository name not known/);
    const bad = await pull(d, 'UPPER/Case', '1');
    assert.equal(bad.status, 400);
  });
});

describe('pull with credentials', () => {
  for (const auth of ['basic', 'token'] as const) {
    test(`${auth} auth: X-Registry-Auth pulls, anonymous is refused, POST /auth checks the credentials`, async () => {
      const sec = await startRegistry({ auth });
      try {
        const creds = { username: sec.username, password: sec.password };
        await pushTestImage(sec.host, 'private/img:1', {
          image: { kind: 'random', layers: 1, layerBytes: 10_000 },
          creds,
        });
        const anon = await pull(d, `${sec.host}/private/img`, '1');
        assert.equal(anon.status, 404);
        assert.match(
          (anon.json as { message: string }).message,
          /pull access denied|authentication required|unauthorized/i,
        );
        const ok = await pull(
          d,
          `${sec.host}/private/img`,
          '1',
          '',
          authHeader({ ...creds, serveraddress: sec.host }),
        );
        assert.equal(ok.status, 200, ok.text);
        assert.match(lines(ok.text).at(-1)?.status ?? '', /Downloaded newer image/);
        const login = await raw(
          d.socket,
          'POST',
          '/auth',
          JSON.stringify({ ...creds, serveraddress: sec.host }),
        );
        assert.equal(login.status, 200);
        assertMatchesSpec('POST', '/auth', 200, login.json);
        assert.equal((login.json as { Status: string }).Status, 'Login Succeeded');
        const wrong = await raw(
          d.socket,
          'POST',
          '/auth',
          JSON.stringify({ ...creds, password: 'bad', serveraddress: sec.host }),
        );
        assert.equal(wrong.status, 401);
        assertStatusInSpec('POST', '/auth', 401);
      } finally {
        await sec.stop();
      }
    });
  }
});

describe('hostile registry: nothing is registered', () => {
  const before = async () => ({
    images: (await raw(d.socket, 'GET', '/images/json')).text,
    layers: (await layerDirs()).sort(),
  });
  const serve = async (
    repo: string,
    over: Parameters<Awaited<ReturnType<typeof smallImage>>['manifestOf']>[0] = {},
    layerBody?: Buffer,
  ) => {
    const img = await smallImage(`${repo}\n`);
    const manifest = img.manifestOf(over);
    const type = over.mediaType ?? 'application/vnd.oci.image.manifest.v1+json';
    fake.on(`/v2/${repo}/manifests/1`, bytes(manifest, type));
    fake.on(`/v2/${repo}/blobs/${img.configDigest}`, bytes(img.config));
    fake.on(
      `/v2/${repo}/blobs/${over.layerDigest ?? img.layerDigest}`,
      bytes(layerBody ?? img.layer),
    );
    return img;
  };

  test('a layer whose bytes do not match its digest: errorDetail in the stream', async () => {
    const was = await before();
    const img = await smallImage('tampered\n');
    const tampered = Buffer.from(img.layer);
    tampered[20] = (tampered[20] ?? 0) ^ 0xff; // same size, other bytes
    fake.on(
      '/v2/bad/digest/manifests/1',
      bytes(img.manifestOf(), 'application/vnd.oci.image.manifest.v1+json'),
    );
    fake.on(`/v2/bad/digest/blobs/${img.configDigest}`, bytes(img.config));
    fake.on(`/v2/bad/digest/blobs/${img.layerDigest}`, bytes(tampered));
    const r = await pull(d, `${fake.host}/bad/digest`, '1');
    assert.equal(r.status, 200);
    const last = lines(r.text).at(-1);
    assert.match(last?.error ?? '', /digest mismatch|bad gzip|invalid layer/);
    assert.deepEqual(await before(), was);
  });

  test('a truncated blob', async () => {
    const was = await before();
    const img = await smallImage('truncated\n');
    fake.on(
      `/v2/bad/trunc/manifests/1`,
      bytes(img.manifestOf(), 'application/vnd.oci.image.manifest.v1+json'),
    );
    fake.on(`/v2/bad/trunc/blobs/${img.configDigest}`, bytes(img.config));
    fake.on(`/v2/bad/trunc/blobs/${img.layerDigest}`, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(img.layer.subarray(0, img.layer.length - 10));
    });
    const r = await pull(d, `${fake.host}/bad/trunc`, '1');
    assert.equal(r.status, 200);
    assert.match(lines(r.text).at(-1)?.error ?? '', /truncated/);
    assert.deepEqual(await before(), was);
  });

  test('a malformed manifest and an unsupported media type: an error status, nothing streamed', async () => {
    const was = await before();
    fake.on(
      '/v2/bad/json/manifests/1',
      bytes(
        Buffer.from('{"schemaVersion": 2, "layers": ['),
        'application/vnd.oci.image.manifest.v1+json',
      ),
    );
    const m = await pull(d, `${fake.host}/bad/json`, '1');
    assert.equal(m.status, 400);
    assert.match((m.json as { message: string }).message, /malformed manifest/);
    await serve('bad/media', { mediaType: 'application/vnd.example.thing.v1+json' });
    const u = await pull(d, `${fake.host}/bad/media`, '1');
    assert.equal(u.status, 501);
    assert.match((u.json as { message: string }).message, /unsupported manifest media type/);
    const wrongDigest = await pull(d, `${fake.host}/bad/media`, digestOf('other'));
    assert.equal(wrongDigest.status, 404);
    assert.deepEqual(await before(), was);
  });

  test('a registry error is reported with its message', async () => {
    fake.on('/v2/bad/denied/manifests/1', (_req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({ errors: [{ code: 'DENIED', message: 'quota exceeded for this tenant' }] }),
      );
    });
    const r = await pull(d, `${fake.host}/bad/denied`, '1');
    assert.equal(r.status, 404);
    assert.match((r.json as { message: string }).message, /quota exceeded for this tenant/);
  });

  test('berthd killed mid-pull: no half image, no orphan layer after restart, and the pull then completes', async () => {
    const was = await before();
    const big = await pushTestImage(reg.host, 'test/big:1', {
      image: { kind: 'random', layers: 3, layerBytes: 4_000_000, withBusybox: true },
    });
    // Relay the real registry through the fake one; the top layer's blob crawls, so the lower
    // layers are committed snapshots (orphans to be) when berthd is killed.
    const relay = (path: string, slow: boolean) => (req: IncomingMessage, res: ServerResponse) => {
      const up = request(
        `${reg.url}${path}`,
        { headers: { Accept: String(req.headers.accept ?? '') } },
        (u) => {
          res.writeHead(u.statusCode ?? 500, u.headers);
          u.on('data', (c: Buffer) => {
            if (!slow) return void res.write(c);
            u.pause();
            res.write(c, () => setTimeout(() => u.resume(), 50));
          });
          u.on('end', () => res.end());
        },
      );
      up.end();
    };
    const manifest = (await (
      await fetch(`${reg.url}/v2/test/big/manifests/1`, {
        headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' },
      })
    ).json()) as { config: { digest: string }; layers: { digest: string }[] };
    for (const p of [
      '/v2/test/big/manifests/1',
      `/v2/test/big/blobs/${manifest.config.digest}`,
      ...manifest.layers.map((l) => `/v2/test/big/blobs/${l.digest}`),
    ])
      fake.on(p, relay(p, p.endsWith(manifest.layers.at(-1)?.digest ?? '-')));
    let seen = '';
    const started = new Promise<void>((resolve, reject) => {
      const req = request(
        {
          socketPath: d.socket,
          method: 'POST',
          path: `/images/create?fromImage=${fake.host}/test/big&tag=1`,
        },
        (res) => {
          res.on('data', (c: Buffer) => {
            seen += c.toString();
            if ((seen.match(/Pull complete/g) ?? []).length >= 2) resolve();
          });
          res.on('error', () => undefined);
        },
      );
      req.on('error', () => undefined);
      req.end();
      setTimeout(() => reject(new Error(`two layers not pulled within 20s: ${seen}`)), 20_000);
    });
    await started;
    assert.ok(
      (await layerDirs()).length >= was.layers.length + 2,
      'layers committed before the kill',
    );
    await d.kill();
    await d.restart();
    assert.deepEqual(await before(), was, 'no half image and no orphan layer after the restart');
    const r = await pull(d, `${reg.host}/test/big`, '1');
    assert.equal(r.status, 200);
    assert.equal(
      lines(r.text).at(-1)?.status,
      `Status: Downloaded newer image for ${reg.host}/test/big:1`,
    );
    const info = (await raw(d.socket, 'GET', `/images/${big.ref}/json`)).json as {
      RootFS: { Layers: string[] };
    };
    assert.equal(info.RootFS.Layers.length, 4);
  });
});
