import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { stageArchive } from '../../archive/stage-archive.js';
import { buildTar } from '../../archive/tar-fixture.js';
import { notFound } from '../../errors/index.js';
import { digestOf, type Digest } from '../../lib/digest.js';
import { ContentStore } from '../../store/content/content-store.js';
import type { StoredImage } from '../../store/metadata/images-repository.js';
import { planLoad } from './load-plan.js';
import { decimalSize, loadingLayer } from './load-progress.js';
import { planSave, streamSave } from './save.js';
import { archiveMetadata, savedManifest } from './save-layout.js';

let dir: string;
let store: ContentStore;
let img: StoredImage;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-test-save-'));
  store = await ContentStore.open(join(dir, 'content'));
  const layer = await buildTar([{ header: { name: 'a.txt' }, content: 'hello' }]);
  const blob = await store.writeBlob(gzipSync(layer));
  const diffId = digestOf(layer);
  const cfg = await store.writeBlob(
    Buffer.from(JSON.stringify({ os: 'linux', rootfs: { type: 'layers', diff_ids: [diffId] } })),
  );
  img = {
    id: cfg.digest,
    manifestDigest: null,
    created: null,
    size: 0,
    storedAt: '',
    layers: [{ digest: blob.digest, diffId, chainId: diffId, size: blob.size }],
    refs: ['docker.io/library/x:1', 'docker.io/library/x:2', 'docker.io/library/y:1'],
  };
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const find = (r: string): StoredImage => {
  if (r === 'x:1' || r === 'x' || r === img.id) return img;
  throw notFound(`No such image: ${r}`);
};

test('planSave: a repository name means all its tags, a tag only that tag, an id no tag', async () => {
  const all = () => [img];
  assert.deepEqual((await planSave(store, find, all, ['x']))[0]?.refs, [
    'docker.io/library/x:1',
    'docker.io/library/x:2',
  ]);
  assert.deepEqual((await planSave(store, find, all, ['x:1']))[0]?.refs, ['docker.io/library/x:1']);
  assert.deepEqual((await planSave(store, find, all, [img.id]))[0]?.refs, []);
  assert.equal((await planSave(store, find, all, ['x:1', img.id])).length, 1);
  await assert.rejects(planSave(store, find, all, ['nosuch:1']), /No such image/);
});

test('a saved archive stages and plans back to the same image, layers uncompressed', async () => {
  const plan = await planSave(store, find, () => [img], ['x:1']);
  assert.equal(plan[0]?.layers[0]?.gzip, true);
  const stage = join(dir, 'stage');
  await mkdir(stage);
  const staged = await stageArchive(streamSave(store, plan), stage);
  const loaded = await planLoad(staged, 'amd64');
  assert.equal(loaded.length, 1);
  assert.equal(loaded[0]?.configDigest, img.id);
  assert.deepEqual(loaded[0]?.refs, ['docker.io/library/x:1']);
  assert.equal(loaded[0]?.layers[0]?.diffId, img.layers[0]?.diffId);
  assert.equal(loaded[0]?.layers[0]?.file.isGzip, false);
  assert.ok(staged.get('blobs/sha256/' + (img.layers[0]?.diffId ?? '').slice(7)));
});

test('archiveMetadata: one index entry per tag, untagged images unannotated', () => {
  const a = {
    configDigest: digestOf('c') as Digest,
    configSize: 1,
    refs: ['docker.io/library/x:1', 'localhost:5000/y:2'],
    layers: [{ diffId: digestOf('l') as Digest, size: 3 }],
  };
  const b = { ...a, configDigest: digestOf('d') as Digest, refs: [] };
  const meta = archiveMetadata([a, b], [savedManifest(a), savedManifest(b)]);
  const index = JSON.parse(meta['index.json']!.toString());
  assert.equal(index.manifests.length, 3);
  assert.equal(index.manifests[1].annotations['io.containerd.image.name'], 'localhost:5000/y:2');
  assert.equal(index.manifests[2].annotations, undefined);
  const manifest = JSON.parse(meta['manifest.json']!.toString());
  assert.deepEqual(manifest[0].RepoTags, ['x:1', 'localhost:5000/y:2']);
  assert.deepEqual(manifest[1].RepoTags, []);
  const repos = JSON.parse(meta['repositories']!.toString());
  assert.deepEqual(Object.keys(repos), ['x', 'localhost:5000/y']);
});

test('progress messages look like dockerd', () => {
  assert.equal(decimalSize(2_150_000), '2.15MB');
  assert.equal(decimalSize(512), '512B');
  const m = loadingLayer('abc', 50, 100) as { progress: string };
  assert.match(m.progress, /^\[=+> +\] {2}50B\/100B$/);
  assert.equal(m.progress.indexOf(']'), 52);
});
