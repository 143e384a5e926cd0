import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { cacheHits, ok } from './build-helpers.js';

// `docker build --cache-from` with an image that has no local parent chain (saved, removed with
// everything built, loaded again): its history serves as the cache, step by step.
let d: TestDaemon;
let dir: string;
before(async () => {
  d = await startTestDaemon();
  dir = await mkdtemp('/tmp/bcf-');
});
after(async () => {
  await d.cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** `DOCKER_BUILDKIT=0 docker build args... <dir>` with app.txt holding `app`. */
async function dockerBuild(app: string, args: string[]): Promise<string> {
  await writeFile(join(dir, 'app.txt'), app);
  return ok(
    await docker(d, ['build', ...args, dir], { timeoutMs: 120_000, env: { DOCKER_BUILDKIT: '0' } }),
  );
}

const layers = async (ref: string): Promise<string[]> =>
  JSON.parse(ok(await docker(d, ['image', 'inspect', '-f', '{{json .RootFS.Layers}}', ref])));

/** Every image id, intermediates included. */
const allImages = async (): Promise<string[]> =>
  ok(await docker(d, ['images', '-a', '-q', '--no-trunc']))
    .split('\n')
    .filter(Boolean);

/** Removes `ref` with its build-step parents and forgets the build cache. */
async function forget(ref: string): Promise<void> {
  ok(await docker(d, ['rmi', ref]));
  await d.client.builder.prune();
}

test('a loaded image serves as cache with --cache-from; without it nothing hits', async () => {
  await writeFile(
    join(dir, 'Dockerfile'),
    [
      'FROM busybox',
      'ENV A=1',
      'RUN echo built > /built.txt',
      'COPY app.txt /app.txt',
      'RUN cat /app.txt > /copy.txt',
      'CMD ["cat", "/copy.txt"]',
    ].join('\n'),
  );
  const base = await allImages();
  await dockerBuild('v1\n', ['-t', 'cf:orig']);
  const origLayers = await layers('cf:orig');
  assert.equal(origLayers.length, 4, 'busybox + RUN + COPY + RUN');
  const tar = join(dir, 'orig.tar');
  ok(await docker(d, ['save', '-o', tar, 'cf:orig']));
  await forget('cf:orig');
  assert.deepEqual(await allImages(), base, 'only busybox is left');
  assert.match(ok(await docker(d, ['load', '-i', tar])), /Loaded image: cf:orig/);
  assert.equal(ok(await docker(d, ['image', 'inspect', '-f', '{{.Parent}}', 'cf:orig'])), '\n');

  const plain = await dockerBuild('v1\n', ['-t', 'cf:plain']);
  assert.equal(cacheHits(plain), 0, plain);
  assert.equal((plain.match(/ ---> Running in /g) ?? []).length, 2);
  await forget('cf:plain');

  const hit = await dockerBuild('v1\n', ['--cache-from', 'cf:orig', '-t', 'cf:cached']);
  assert.equal(cacheHits(hit), 5, hit);
  assert.doesNotMatch(hit, /Running in/, 'no container started');
  assert.deepEqual(await layers('cf:cached'), origLayers, 'the layers came from cf:orig');
  assert.equal(ok(await docker(d, ['run', '--rm', '--network', 'none', 'cf:cached'])), 'v1\n');

  const edited = await dockerBuild('v2\n', ['--cache-from', 'cf:orig', '-t', 'cf:v2']);
  const lines = edited.split('\n');
  const copy = lines.findIndex((l) => l.startsWith('Step 4/6 : COPY'));
  assert.equal(cacheHits(lines.slice(0, copy).join('\n')), 2, 'ENV and the first RUN hit');
  assert.equal(cacheHits(lines.slice(copy).join('\n')), 0, 'the edited COPY and later miss');
  assert.deepEqual((await layers('cf:v2')).slice(0, 2), origLayers.slice(0, 2));
  assert.equal(ok(await docker(d, ['run', '--rm', '--network', 'none', 'cf:v2'])), 'v2\n');
});

test('--cache-from naming an image that is not stored is ignored', async () => {
  await writeFile(join(dir, 'Dockerfile'), 'FROM busybox\nENV B=2\n');
  const out = await dockerBuild('x', ['--cache-from', 'cf:nope', '-t', 'cf:nope-base']);
  assert.match(out, /Successfully tagged cf:nope-base/);
});
