import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { buildTar, type TestEntry } from '../../../src/archive/tar-fixture.js';
import { ApiError } from '../../../src/client/errors.js';
import { execFile } from '../../../src/lib/exec.js';
import { assertMatchesSpec, assertStatusInSpec } from '../../compat/spec-check.js';
import { raw } from '../../helpers/raw-http.js';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const hex = (b: Buffer | string) => sha(b).slice(7);

async function state() {
  const images = (await d.client.imageList()).map((i) => i.Id).sort();
  const layers = (await readdir(join(d.dataRoot, 'overlay', 'layers')).catch(() => [])).sort();
  return { images, layers };
}

/** POSTs `body` to /images/load; resolves with the progress lines, rejects with ApiError. */
async function load(body: Buffer, quiet = true): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const m of await d.client.imageLoad(Readable.from([body]), { quiet })) out.push(m);
  return out;
}

async function expectRejected(body: Buffer, pattern: RegExp): Promise<void> {
  const before = await state();
  await assert.rejects(load(body), (e: unknown) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.statusCode, 400, e.message);
    // The spec lists only 200 and 500 for ImageLoad; a malformed archive is the client's fault,
    // so Berth classifies it as InvalidParameter (400), the status Docker uses for bad input.
    assert.match(e.message, pattern);
    return true;
  });
  assert.deepEqual(await state(), before, 'nothing registered, no snapshot left');
}

/** A docker-archive of one image with the given layer tar (config diff id computed or forced). */
async function archive(layer: Buffer, opts: { diffId?: string; extra?: TestEntry[] } = {}) {
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [opts.diffId ?? sha(layer)] },
    }),
  );
  const manifest = [
    { Config: `${hex(config)}.json`, RepoTags: ['hostile:1'], Layers: ['l/layer.tar'] },
  ];
  return buildTar([
    { header: { name: `${hex(config)}.json` }, content: config },
    { header: { name: 'l/layer.tar' }, content: layer },
    { header: { name: 'manifest.json' }, content: JSON.stringify(manifest) },
    ...(opts.extra ?? []),
  ]);
}

test('GET /images/get streams a tar; unknown names are 404 before any byte', async () => {
  const res = await d.client.imageSave(['busybox']);
  assert.equal(res.headers['content-type'], 'application/x-tar');
  assertStatusInSpec('GET', '/images/get', res.statusCode ?? 0);
  const names: string[] = [];
  const ex = tar.extract();
  res.pipe(ex as unknown as NodeJS.WritableStream);
  for await (const e of ex) {
    names.push(e.header.name);
    e.resume();
  }
  assert.ok(names.includes('manifest.json') && names.includes('index.json'));
  const r = await raw(d.socket, 'GET', '/images/nosuch/get');
  assert.equal(r.status, 404);
  assertMatchesSpec('GET', '/images/{name}/get', 500, r.json); // error body shape (404 is unlisted)
  assert.match(r.text, /No such image: nosuch/);
  const r2 = await raw(d.socket, 'GET', '/images/get?names=busybox&names=nosuch:2');
  assert.equal(r2.status, 404);
  const r3 = await raw(d.socket, 'GET', '/containers/nosuch/export');
  assert.equal(r3.status, 404);
  assertStatusInSpec('GET', '/containers/{id}/export', 404);
});

test('docker save | docker load through stdin round-trips after rmi', async () => {
  const id = (await d.client.imageInspect('busybox')).Id;
  await d.client.imageTag('busybox', 'piped', '1');
  const env = { ...process.env, DOCKER_HOST: d.host, DOCKER_CONFIG: join(d.dataRoot, '..', 'dc') };
  const r1 = await execFile('sh', ['-c', 'docker save piped:1 > "$F"'], {
    timeoutMs: 60_000,
    env: { ...env, F: join(d.dataRoot, '..', 'p.tar') },
  });
  assert.equal(r1.code, 0, r1.stderr);
  await d.client.imageRemove('piped:1');
  const r = await execFile('sh', ['-c', 'docker load < "$F"'], {
    timeoutMs: 60_000,
    env: { ...env, F: join(d.dataRoot, '..', 'p.tar') },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Loaded image: piped:1\n');
  assert.equal((await d.client.imageInspect('piped:1')).Id, id);
});

test('load with quiet=0 reports Loading layer progress, gzip archives load too', async () => {
  const layer = await buildTar([{ header: { name: 'hello.txt' }, content: 'hi' }]);
  const lines = await load(gzipSync(await archive(layer)), false);
  assert.ok(lines.some((m) => m['status'] === 'Loading layer'));
  assert.deepEqual(lines.at(-1), { stream: 'Loaded image: hostile:1\n' });
  const quiet: Record<string, unknown>[] = [];
  const body = Readable.from([await archive(layer)]);
  for await (const m of await d.client.imageLoad(body, { quiet: true })) quiet.push(m);
  assert.deepEqual(quiet, [{ stream: 'Loaded image: hostile:1\n' }]);
  await d.client.imageRemove('hostile:1');
});

test('hostile or inconsistent archives are refused with 400 and leave nothing', async () => {
  const layer = await buildTar([{ header: { name: 'a.txt' }, content: 'a' }]);
  await expectRejected(
    Buffer.from('this is not a tar archive at all'.repeat(40)),
    /invalid archive/,
  );
  await expectRejected(
    await buildTar([{ header: { name: '../evil' }, content: 'x' }]),
    /"\.\." component/,
  );
  await expectRejected(
    await buildTar([{ header: { name: '/abs' }, content: 'x' }]),
    /invalid name/,
  );
  await expectRejected(
    await archive(layer, {
      extra: [{ header: { name: 'l/out', type: 'symlink', linkname: '../../etc/passwd' } }],
    }),
    /link points outside the archive/,
  );
  await expectRejected(
    await buildTar([
      {
        header: { name: 'manifest.json' },
        content: JSON.stringify([{ Config: 'c.json', Layers: ['x.tar'] }]),
      },
    ]),
    /config file "c.json" not found/,
  );
  await expectRejected(await archive(layer, { diffId: sha('other') }), /does not match diff id/);
  await expectRejected(
    await buildTar([{ header: { name: 'index.json' }, content: '{"manifests":' }]),
    /malformed JSON/,
  );
  await expectRejected(
    await buildTar([
      { header: { name: `blobs/sha256/${hex('x')}` }, content: 'not x' },
      { header: { name: 'index.json' }, content: '{"manifests":[]}' },
    ]),
    /does not match its digest/,
  );
  await expectRejected(
    await buildTar([
      { header: { name: 'dev', type: 'character-device', devmajor: 1, devminor: 3 } },
    ]),
    /unsupported type/,
  );
});

test('a layer with hostile entries fails in the stream and registers nothing', async () => {
  const layer = await buildTar([{ header: { name: '../escape' }, content: 'x' }]);
  const before = await state();
  const lines = await load(await archive(layer));
  const last = lines.at(-1) as { errorDetail?: { message: string } };
  assert.match(last.errorDetail?.message ?? '', /\.\./);
  assert.deepEqual(await state(), before);
});

test('import validates changes before reading the body', async () => {
  await assert.rejects(
    d.client.imageImport(Readable.from([Buffer.alloc(1024)]), {
      repo: 'x',
      changes: ['RUN rm -rf /'],
    }),
    (e: unknown) =>
      e instanceof ApiError && e.statusCode === 400 && /not a valid change/.test(e.message),
  );
  const rootfs = await buildTar([{ header: { name: 'bin/', type: 'directory' } }]);
  const lines: Record<string, unknown>[] = [];
  for await (const m of await d.client.imageImport(Readable.from([rootfs]), {
    repo: 'imp',
    tag: '3',
    changes: ['ENV A=1', 'EXPOSE 80'],
  }))
    lines.push(m);
  assert.match(String(lines[0]?.['status']), /^sha256:[0-9a-f]{64}$/);
  assertStatusInSpec('POST', '/images/create', 200);
  const img = await d.client.imageInspect('imp:3');
  assert.deepEqual(img.Config?.Env, ['A=1']);
  assert.deepEqual(Object.keys(img.Config?.ExposedPorts ?? {}), ['80/tcp']);
  assertMatchesSpec('GET', '/images/{name}/json', 200, img);
});
