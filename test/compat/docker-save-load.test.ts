import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tar from 'tar-stream';
import type { Header } from 'tar-stream';
import { execFile } from '../../src/lib/exec.js';
import { berth, docker, startTestDaemon, type TestDaemon } from '../helpers/test-daemon.js';

// docker save/load/import/export through the real docker CLI, checked with skopeo.
let d: TestDaemon;
let dir: string;
before(async () => {
  d = await startTestDaemon();
  dir = join(d.dataRoot, '..', 'sl');
  await mkdir(dir, { recursive: true });
});
after(async () => {
  await d.cleanup();
});

const ok = (r: { code: number | null; stderr: string }) => assert.equal(r.code, 0, r.stderr);
const skopeo = (args: string[]) => execFile('skopeo', args, { timeoutMs: 120_000 });

/** Every entry of a tar file: header and (small) body. */
async function tarEntries(file: string): Promise<Map<string, { h: Header; body: Buffer }>> {
  const out = new Map<string, { h: Header; body: Buffer }>();
  const ex = tar.extract();
  createReadStream(file).pipe(ex as unknown as NodeJS.WritableStream);
  for await (const e of ex) {
    const chunks: Buffer[] = [];
    for await (const c of e as AsyncIterable<Buffer>) chunks.push(c);
    out.set(e.header.name, { h: e.header, body: Buffer.concat(chunks) });
  }
  return out;
}

async function imageId(ref: string): Promise<string> {
  const r = await docker(d, ['image', 'inspect', '--format', '{{.Id}}', ref]);
  ok(r);
  return r.stdout.trim();
}

test('docker save writes a docker-archive that is also an OCI layout; skopeo reads it', async () => {
  const file = join(dir, 'bb.tar');
  ok(await docker(d, ['save', '-o', file, 'busybox']));
  const entries = await tarEntries(file);
  for (const n of ['manifest.json', 'index.json', 'oci-layout', 'repositories'])
    assert.ok(entries.has(n), n);
  const manifest = JSON.parse(entries.get('manifest.json')!.body.toString()) as {
    Config: string;
    RepoTags: string[];
    Layers: string[];
  }[];
  assert.equal(manifest.length, 1);
  assert.deepEqual(manifest[0]?.RepoTags, ['busybox:latest']);
  assert.equal(manifest[0]?.Config, `blobs/sha256/${(await imageId('busybox')).slice(7)}`);
  for (const l of manifest[0]?.Layers ?? []) assert.match(l, /^blobs\/sha256\/[0-9a-f]{64}$/);
  const index = JSON.parse(entries.get('index.json')!.body.toString());
  assert.equal(
    index.manifests[0].annotations['io.containerd.image.name'],
    'docker.io/library/busybox:latest',
  );
  assert.equal(index.manifests[0].annotations['org.opencontainers.image.ref.name'], 'latest');
  const insp = await skopeo(['inspect', `docker-archive:${file}`]);
  ok(insp);
  assert.equal(JSON.parse(insp.stdout).Layers.length, manifest[0]?.Layers.length);
  const oci = join(dir, 'bb-oci');
  ok(await skopeo(['copy', `docker-archive:${file}`, `oci:${oci}:bb`]));
  ok(await skopeo(['inspect', `oci:${oci}:bb`]));
  ok(await skopeo(['inspect', `oci-archive:${file}`])); // the same tar read as an OCI layout
});

test('docker export, docker import --change, docker run prints hi', async () => {
  ok(
    await docker(d, [
      'run',
      '--name',
      'exp',
      'busybox',
      'sh',
      '-c',
      'echo data > /f.txt && chmod 640 /f.txt',
    ]),
  );
  const file = join(dir, 'exp.tar');
  ok(await docker(d, ['export', '-o', file, 'exp']));
  const entries = await tarEntries(file);
  assert.equal(entries.get('f.txt')?.body.toString(), 'data\n');
  assert.equal((entries.get('f.txt')?.h.mode ?? 0) & 0o7777, 0o640);
  assert.ok(entries.has('bin/busybox'));
  assert.ok(entries.has('proc/'));
  assert.ok(![...entries.keys()].some((k) => k.startsWith('proc/') && k !== 'proc/'));
  const imp = await docker(d, ['import', '--change', 'CMD ["echo","hi"]', file, 'imported:1']);
  ok(imp);
  assert.match(imp.stdout, /^sha256:[0-9a-f]{64}\n$/);
  const run = await docker(d, ['run', '--rm', 'imported:1']);
  ok(run);
  assert.equal(run.stdout, 'hi\n');
  const cat = await docker(d, ['run', '--rm', 'imported:1', 'cat', '/f.txt']);
  assert.equal(cat.stdout, 'data\n');
  ok(await docker(d, ['rm', 'exp']));
});

test('docker save of two images, docker rmi, docker load restores both with the same ids', async () => {
  const ids = { bb: await imageId('busybox'), imp: await imageId('imported:1') };
  const file = join(dir, 'two.tar');
  ok(await docker(d, ['save', '-o', file, 'busybox', 'imported:1']));
  const manifest = JSON.parse((await tarEntries(file)).get('manifest.json')!.body.toString());
  assert.equal(manifest.length, 2);
  ok(await docker(d, ['rmi', 'busybox', 'imported:1']));
  const load = await docker(d, ['load', '-i', file]);
  ok(load);
  assert.match(load.stdout, /Loaded image: busybox:latest\n/);
  assert.match(load.stdout, /Loaded image: imported:1\n/);
  assert.equal(await imageId('busybox'), ids.bb);
  assert.equal(await imageId('imported:1'), ids.imp);
  const run = await docker(d, ['run', '--rm', 'busybox', 'echo', 'back']);
  assert.equal(run.stdout, 'back\n');
});

test('docker load of an OCI archive written by skopeo', async () => {
  const file = join(dir, 'bb.tar');
  const oci = join(dir, 'skopeo-oci.tar');
  await rm(oci, { force: true });
  ok(await skopeo(['copy', `docker-archive:${file}`, `oci-archive:${oci}:ocibox:v1`]));
  const load = await docker(d, ['load', '-i', oci]);
  ok(load);
  assert.match(load.stdout, /Loaded image: ocibox:v1\n/);
  const run = await docker(d, ['run', '--rm', 'ocibox:v1', 'echo', 'oci']);
  assert.equal(run.stdout, 'oci\n');
});

test('docker save of an unknown image fails with No such image', async () => {
  const r = await docker(d, ['save', '-o', join(dir, 'x.tar'), 'nosuch:1']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /No such image: nosuch:1/);
});

test('berth save -o, load -i, export -o and import', async () => {
  const file = join(dir, 'berth.tar');
  ok(await berth(d, ['save', '-o', file, 'busybox']));
  const load = await berth(d, ['load', '-i', file]);
  ok(load);
  assert.match(load.stdout, /Loaded image: busybox:latest/);
  ok(await docker(d, ['create', '--name', 'bexp', 'busybox']));
  const ex = join(dir, 'bexp.tar');
  ok(await berth(d, ['export', '-o', ex, 'bexp']));
  assert.ok((await readFile(ex)).length > 1024);
  const imp = await berth(d, ['import', '-c', 'CMD ["echo","b"]', ex, 'bimp:2']);
  ok(imp);
  const run = await docker(d, ['run', '--rm', 'bimp:2']);
  assert.equal(run.stdout, 'b\n');
  ok(await docker(d, ['rm', 'bexp']));
});
