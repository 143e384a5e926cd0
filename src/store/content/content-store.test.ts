import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ContentStore } from './content-store.js';
import { isKind } from '../../errors/index.js';
import { digestOf, type Digest } from '../../lib/digest.js';

async function tempStore(t: { after: (fn: () => Promise<void>) => void }) {
  const root = await mkdtemp(join(tmpdir(), 'berth-test-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  return { root, store: await ContentStore.open(join(root, 'content')) };
}

const chunks = (...parts: string[]) => Readable.from(parts.map((p) => Buffer.from(p)));

test('writeBlob stores a read-only blob addressed by its digest', async (t) => {
  const { store } = await tempStore(t);
  const data = Buffer.from('{"hello":"world"}');
  const info = await store.writeBlob(data, { size: data.length });
  assert.equal(info.digest, digestOf(data));
  assert.equal(info.size, data.length);
  assert.equal(await store.has(info.digest), true);
  assert.equal(await store.size(info.digest), data.length);
  assert.equal((await stat(store.path(info.digest))).mode & 0o777, 0o444);
  assert.deepEqual(await store.readBuffer(info.digest, { verify: true }), data);
  assert.deepEqual(await store.writeBlob(data), info, 'rewriting is a no-op');
});

test('ingest streams, verifies and rejects mismatches without leaving temp files', async (t) => {
  const { root, store } = await tempStore(t);
  const d = digestOf('abcdef');
  assert.deepEqual(await store.ingest(chunks('abc', 'def'), { digest: d, size: 6 }), {
    digest: d,
    size: 6,
  });
  const wrong = digestOf('other');
  await assert.rejects(store.ingest(chunks('abc'), { digest: wrong }), (e) => {
    assert.ok(isKind(e, 'InvalidParameter'));
    assert.match(e.message, /digest mismatch/);
    return true;
  });
  await assert.rejects(store.ingest(chunks('abc', 'def'), { size: 4 }), /larger than/);
  await assert.rejects(store.ingest(chunks('abc'), { size: 4 }), /size mismatch/);
  assert.equal(await store.has(wrong), false);
  assert.deepEqual(await readdir(join(root, 'content', 'ingest')), []);
});

test('concurrent ingests of the same digest are safe', async (t) => {
  const { root, store } = await tempStore(t);
  const big = Buffer.alloc(3 * 1024 * 1024, 7);
  const d = digestOf(big);
  const results = await Promise.all(
    Array.from({ length: 6 }, () =>
      store.ingest(Readable.from([big.subarray(0, 1e6), big.subarray(1e6)])),
    ),
  );
  for (const r of results) assert.deepEqual(r, { digest: d, size: big.length });
  assert.deepEqual(await store.readBuffer(d, { verify: true }), big);
  assert.deepEqual(await readdir(join(root, 'content', 'ingest')), []);
});

test('invalid digests are refused before any path is built', async (t) => {
  const { store } = await tempStore(t);
  for (const bad of [
    'sha256:../../etc/passwd',
    'sha512:' + 'a'.repeat(128),
    'sha256:' + 'A'.repeat(64),
    '',
  ]) {
    assert.throws(
      () => store.path(bad as Digest),
      (e) => isKind(e, 'InvalidParameter'),
    );
    await assert.rejects(store.has(bad as Digest), (e) => isKind(e, 'InvalidParameter'));
  }
});

test('missing blobs are NotFound; readBuffer enforces maxBytes and detects corruption', async (t) => {
  const { root, store } = await tempStore(t);
  const missing = digestOf('missing');
  await assert.rejects(store.readBuffer(missing), (e) => isKind(e, 'NotFound'));
  await assert.rejects(async () => {
    for await (const _ of store.createReadStream(missing)) void _;
  }, /ENOENT/);
  assert.equal(await store.size(missing), null);
  const { digest } = await store.writeBlob(Buffer.alloc(100));
  await assert.rejects(store.readBuffer(digest, { maxBytes: 10 }), (e) =>
    isKind(e, 'InvalidParameter'),
  );
  // Corrupt a blob behind the store's back (a different file under the same name).
  const other = digestOf('x'.repeat(100));
  await writeFile(join(root, 'content', 'blobs', 'sha256', other.slice(7)), Buffer.alloc(100));
  await assert.rejects(store.readBuffer(other, { verify: true }), (e) => isKind(e, 'System'));
  assert.equal((await store.readBuffer(other)).length, 100, 'no verify: returned as is');
});

test('createReadStream, list and delete', async (t) => {
  const { root, store } = await tempStore(t);
  const a = await store.writeBlob(Buffer.from('a'));
  const b = await store.writeBlob(Buffer.from('b'));
  await writeFile(join(root, 'content', 'blobs', 'sha256', 'stray'), 'x');
  const listed: Digest[] = [];
  for await (const d of store.list()) listed.push(d);
  assert.deepEqual(listed.sort(), [a.digest, b.digest].sort());
  const parts: Buffer[] = [];
  for await (const c of store.createReadStream(a.digest)) parts.push(c as Buffer);
  assert.equal(Buffer.concat(parts).toString(), 'a');
  assert.equal(await store.delete(a.digest), true);
  assert.equal(await store.delete(a.digest), false);
  assert.equal(await store.has(a.digest), false);
});
