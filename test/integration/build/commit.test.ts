import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { assertMatchesSpec, assertStatusInSpec } from '../../compat/spec-check.js';
import { SchemaSet } from '../../../src/api/schema-set.js';
import { tolerantForResponse } from '../../../src/api/schema-relax.js';
import { runImage } from './build-helpers.js';

// POST /commit, POST /build/prune and the build stream, checked against the Engine API spec.
const buildInfo = new SchemaSet('bld-build-info.json', (sc) => tolerantForResponse(sc, true));

/** Each line of the build stream is a BuildInfo (the spec gives /build 200 no body schema). */
function assertBuildInfo(m: unknown): void {
  const validate = buildInfo.validator('BuildInfo', () => ({
    $ref: '#/definitions/BuildInfo',
  }));
  assert.ok(
    validate(m),
    `not a BuildInfo: ${JSON.stringify(m)} ${JSON.stringify(validate.errors)}`,
  );
}
let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

test('POST /commit: the container changes become a layer, with changes, comment and author', async () => {
  const c = await d.client.containerCreate({
    Image: 'busybox',
    Cmd: ['sh', '-c', 'echo committed > /marker; rm /bin/vi; sleep 300'],
  });
  await d.client.containerStart(c.Id);
  // wait until the command wrote its file
  for (let i = 0; i < 100; i++) {
    const r = await d.client.containerChanges(c.Id);
    if (r.some((x) => x.Path === '/marker')) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  const q = new URLSearchParams({
    container: c.Id,
    repo: 'committed',
    tag: 'v1',
    comment: 'a message',
    author: 'Tester <t@example.com>',
  });
  q.append('changes', 'ENV FOO=bar');
  q.append('changes', 'CMD ["cat", "/marker"]');
  const r = await raw(d.socket, 'POST', `/v1.56/commit?${q}`, '{"Labels":{"from":"body"}}');
  assert.equal(r.status, 201, r.text);
  assertMatchesSpec('POST', '/commit', 201, r.json);
  const id = (r.json as { Id: string }).Id;
  const img = await d.client.imageInspect('committed:v1');
  assertMatchesSpec('GET', '/images/{name}/json', 200, img);
  assert.equal(img.Id, id);
  assert.equal(img.Author, 'Tester <t@example.com>');
  assert.ok(img.Config?.Env?.includes('FOO=bar'));
  assert.deepEqual(img.Config?.Cmd, ['cat', '/marker']);
  assert.equal(img.Config?.Labels?.['from'], 'body');
  const parent = (img as { Parent?: string }).Parent;
  assert.equal(parent, (await d.client.imageInspect('busybox')).Id);
  assert.equal((await d.client.containerInspect(c.Id)).State?.Running, true, 'unpaused after');
  assert.equal(await runImage(d, 'committed:v1', []), 'committed\n');
  const vi = await runImage(d, 'committed:v1', ['sh', '-c', 'test -e /bin/vi && echo y || echo n']);
  assert.equal(vi, 'n\n', 'a deletion is a whiteout in the new layer');
  await d.client.containerRemove(c.Id, { force: true });
});

test('POST /commit errors: no container 400/404, a bad change 400, a digest ref 400', async () => {
  const none = await raw(d.socket, 'POST', '/v1.56/commit');
  assert.equal(none.status, 400);
  const missing = await raw(d.socket, 'POST', '/v1.56/commit?container=nosuch');
  assert.equal(missing.status, 404);
  assertStatusInSpec('POST', '/commit', 404);
  assertMatchesSpec('POST', '/commit', 404, missing.json);
  const c = await d.client.containerCreate({ Image: 'busybox', Cmd: ['true'] });
  const bad = await raw(d.socket, 'POST', `/v1.56/commit?container=${c.Id}&changes=FOO%20x`);
  assert.equal(bad.status, 400, bad.text);
  const badBody = await raw(d.socket, 'POST', `/v1.56/commit?container=${c.Id}`, '{"Env":"x"}');
  assert.equal(badBody.status, 400, badBody.text);
  const digest = await raw(
    d.socket,
    'POST',
    `/v1.56/commit?container=${c.Id}&repo=x@sha256:${'a'.repeat(64)}`,
  );
  assert.equal(digest.status, 400);
  await d.client.containerRemove(c.Id, { force: true });
  assert.ok(await d.client.ping());
});

test('the client commit method: pause=false on a stopped container, config override', async () => {
  const c = await d.client.containerCreate({ Image: 'busybox', Cmd: ['sh', '-c', 'echo x > /y'] });
  await d.client.containerStart(c.Id);
  await d.client.containerWait(c.Id);
  const r = await d.client.builder.commit(c.Id, {
    repo: 'viaclient',
    pause: false,
    changes: ['WORKDIR /tmp'],
    config: { Cmd: ['cat', '/y'] },
  });
  assert.match(r.Id, /^sha256:[0-9a-f]{64}$/);
  const img = await d.client.imageInspect('viaclient');
  assert.equal(img.Config?.WorkingDir, '/tmp');
  assert.equal(await runImage(d, 'viaclient', []), 'x\n');
  await d.client.containerRemove(c.Id, { force: true });
});

test('the build stream and POST /build/prune match the spec', async () => {
  const stream = await d.client.builder.build(
    (await import('./build-helpers.js')).contextTar({
      Dockerfile: 'FROM busybox\nRUN echo hi > /hi\nENV X=1\n',
    }),
    { tags: ['prune-me'] },
  );
  const messages = [];
  for await (const m of stream) messages.push(m);
  assertStatusInSpec('POST', '/build', 200);
  for (const m of messages) assertBuildInfo(m);
  assert.ok(messages.some((m) => m.aux?.ID?.startsWith('sha256:')));
  assert.ok(messages.some((m) => m.stream === 'Successfully tagged prune-me:latest\n'));
  const all = await d.client.imageList({ all: true });
  const intermediates = all.filter((i) => (i.RepoTags ?? []).length === 0 && i.ParentId !== '');
  assert.ok(intermediates.length >= 1, 'the RUN step image is an intermediate');
  const runStep = (await d.client.imageInspect('prune-me')) as { Parent?: string };
  await d.client.imageRemove('prune-me', { noprune: true });
  const r = await raw(d.socket, 'POST', '/v1.56/build/prune');
  assert.equal(r.status, 200, r.text);
  assertMatchesSpec('POST', '/build/prune', 200, r.json);
  const pruned = (r.json as { CachesDeleted: string[] }).CachesDeleted;
  assert.ok(
    pruned.includes(runStep.Parent ?? ''),
    `the untagged RUN step image went: ${JSON.stringify(r.json)}`,
  );
  const left = await d.client.imageList({ all: true });
  assert.ok(left.every((i) => !pruned.includes(i.Id)));
  assert.ok(
    left.some((i) => (i.RepoTags ?? []).includes('busybox:latest')),
    'busybox stays',
  );
  const p = await d.client.builder.prune();
  assert.deepEqual(p.CachesDeleted, []);
});
