import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { buildOk, cacheHits, runImage, type ContextEntry } from './build-helpers.js';

// The classic builder's cache: same parent + same step (+ content of COPY'd files) = a hit.
let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

const dockerfile = [
  'FROM busybox',
  'ENV A=1',
  'RUN echo first > /first.txt',
  'COPY app.txt /app.txt',
  'RUN cat /app.txt > /copy-of-app.txt',
  'CMD ["cat", "/copy-of-app.txt"]',
].join('\n');

/** The context with app.txt of `content` (and an mtime when given). */
function ctx(content: string, mtime?: Date): Record<string, ContextEntry> {
  return { Dockerfile: dockerfile, 'app.txt': mtime ? { content, mtime } : content };
}

test('a rebuild hits the cache on every step and gives the same image', async () => {
  const first = await buildOk(d, ctx('v1\n'), { tags: ['cache:a'] });
  assert.equal(cacheHits(first.output), 0);
  assert.equal((first.output.match(/ ---> Running in /g) ?? []).length, 2);
  const again = await buildOk(d, ctx('v1\n'), { tags: ['cache:a'] });
  assert.equal(cacheHits(again.output), 5, again.output);
  assert.doesNotMatch(again.output, /Running in/, 'no container started');
  assert.equal(again.id, first.id);
});

test('touching a COPY source (mtime only) still hits; editing its content misses from there', async () => {
  const base = await buildOk(d, ctx('v1\n'), {});
  const touched = await buildOk(d, ctx('v1\n', new Date(Date.now() + 3600_000)), {});
  assert.equal(cacheHits(touched.output), 5, touched.output);
  assert.equal(touched.id, base.id);
  const edited = await buildOk(d, ctx('v2\n'), { tags: ['cache:v2'] });
  const lines = edited.output.split('\n');
  const copyStep = lines.findIndex((l) => l.startsWith('Step 4/6 : COPY'));
  assert.equal(cacheHits(lines.slice(0, copyStep).join('\n')), 2, 'ENV and the first RUN hit');
  assert.equal(cacheHits(lines.slice(copyStep).join('\n')), 0, 'COPY and everything after miss');
  assert.notEqual(edited.id, base.id);
  assert.equal(await runImage(d, 'cache:v2', []), 'v2\n');
});

test('--no-cache runs every step again', async () => {
  await buildOk(d, ctx('v1\n'), {});
  const r = await buildOk(d, ctx('v1\n'), { noCache: true });
  assert.equal(cacheHits(r.output), 0);
  assert.equal((r.output.match(/ ---> Running in /g) ?? []).length, 2);
});

test('a changed build-arg used by a RUN misses; the cache survives a daemon restart', async () => {
  const df = 'FROM busybox\nARG V=1\nRUN echo $V > /v\n';
  const one = await buildOk(d, { Dockerfile: df }, {});
  const two = await buildOk(d, { Dockerfile: df }, { buildArgs: { V: '2' } });
  assert.equal(cacheHits(two.output), 0, 'the RUN sees another environment');
  assert.notEqual(two.id, one.id);
  await d.restart();
  const after = await buildOk(d, ctx('v1\n'), {});
  assert.equal(cacheHits(after.output), 5, after.output);
  const again = await buildOk(d, { Dockerfile: df }, { buildArgs: { V: '2' } });
  assert.equal(again.id, two.id);
});
