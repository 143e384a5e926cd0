import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { assertMatchesSpec, assertStatusInSpec } from '../../compat/spec-check.js';
import { build, buildOk, contextTar, runImage } from './build-helpers.js';

// Bad Dockerfiles, bad contexts and bad queries: clear messages, nothing left behind.
let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

const containerCount = async (): Promise<number> =>
  (await d.client.containerList({ all: true })).length;

test('a Dockerfile syntax error names the line, in the stream (after the 200)', async () => {
  const r = await build(d, { Dockerfile: 'FROM busybox\nRUN true\nFOO bar\n' });
  assert.equal(r.id, null);
  assert.match(r.error ?? '', /line 3/);
  assert.match(r.error ?? '', /unknown instruction: FOO/i);
  const empty = await build(d, { Dockerfile: '# nothing\n' });
  assert.match(empty.error ?? '', /file with no instructions|empty/i);
});

test('COPY of a missing file names the path; COPY can never read outside the context', async () => {
  const missing = await build(d, { Dockerfile: 'FROM busybox\nCOPY nope.txt /\n' });
  assert.match(missing.error ?? '', /nope\.txt/);
  const up = await build(d, { Dockerfile: 'FROM busybox\nCOPY ../x /\n', x: 'x' });
  assert.match(up.error ?? '', /outside the build context|not found/);
  // an absolute source is relative to the context root, never the host's /
  const abs = await buildOk(
    d,
    { Dockerfile: 'FROM busybox\nCOPY /etc/hostname /got\n', 'etc/hostname': 'from-context\n' },
    { tags: ['abs-src'] },
  );
  assert.ok(abs.id);
  assert.equal(await runImage(d, 'abs-src', ['cat', '/got']), 'from-context\n');
  const hostAbs = await build(d, { Dockerfile: 'FROM busybox\nCOPY /etc/passwd /got\n' });
  assert.match(hostAbs.error ?? '', /etc\/passwd/, 'the host file is not found in the context');
});

test('a symlink in the context pointing out of it resolves inside the context', async () => {
  const files = {
    Dockerfile: 'FROM busybox\nCOPY link /got\nCOPY dir/ /dir/\n',
    link: { symlink: '/etc/passwd' },
    'etc/passwd': 'context-passwd\n',
    'dir/up': { symlink: '../../../../etc/shadow' },
  };
  await buildOk(d, files, { tags: ['links'] });
  assert.equal(await runImage(d, 'links', ['cat', '/got']), 'context-passwd\n');
  // a link inside a copied directory is copied as a link, never followed on the host
  assert.equal(await runImage(d, 'links', ['readlink', '/dir/up']), '../../../../etc/shadow\n');
});

test('a context tar with ../ entries is refused', async () => {
  const r = await build(d, { Dockerfile: 'FROM busybox\n', '../escape.txt': 'x' });
  assert.equal(r.id, null);
  assert.match(r.error ?? '', /\.\.|outside|invalid/i);
});

test('a failed RUN reports its exit code; with forcerm it leaves no container', async () => {
  const before = await containerCount();
  const r = await build(
    d,
    { Dockerfile: 'FROM busybox\nRUN echo failing; exit 7\n' },
    { forceRm: true },
  );
  assert.match(r.error ?? '', /returned a non-zero code: 7/);
  assert.match(r.output, /failing/);
  assert.equal(await containerCount(), before);
  const kept = await build(
    d,
    { Dockerfile: 'FROM busybox\nRUN exit 3\n' },
    { forceRm: false, rm: false },
  );
  assert.match(kept.error ?? '', /non-zero code: 3/);
  assert.equal(await containerCount(), before + 1, 'forcerm=false keeps the failed container');
  const [c] = (await d.client.containerList({ all: true })).filter((x) => x.State === 'exited');
  await d.client.containerRemove(c?.Id ?? '', { force: true });
});

test('a successful build removes its intermediate containers (rm defaults to true)', async () => {
  const before = await containerCount();
  await buildOk(d, { Dockerfile: 'FROM busybox\nRUN echo a > /a\nRUN echo b > /b\n' });
  assert.equal(await containerCount(), before);
});

test('a client that disconnects mid-build cancels it: its RUN container goes away', async () => {
  const before = await containerCount();
  const abort = new AbortController();
  const stream = await d.client.builder.build(
    contextTar({ Dockerfile: 'FROM busybox\nRUN echo $((40 + 2)); sleep 30\n' }),
    { signal: abort.signal, noCache: true },
  );
  try {
    for await (const m of stream) {
      if (m.stream === '42\n') break; // the RUN is running: go away
    }
  } finally {
    abort.abort();
  }
  let n = await containerCount();
  for (let i = 0; i < 200 && n !== before; i++) {
    await new Promise((r) => setTimeout(r, 100));
    n = await containerCount();
  }
  assert.equal(n, before, 'the cancelled RUN container was removed');
});

test('bad query values are 400 before the stream (spec-checked)', async () => {
  const cases: [string, RegExp][] = [
    ['buildargs=notjson', /buildargs/],
    ['buildargs=%5B1%5D', /buildargs/],
    ['labels=%7B%22a%22%3A1%7D', /labels/],
    ['platform=windows%2Farm', /platform/],
    ['t=Bad..Name', /invalid reference format/],
    ['shmsize=-1', /shmsize/],
    ['version=2', /BuildKit/],
  ];
  for (const [q, msg] of cases) {
    const r = await raw(d.socket, 'POST', `/v1.56/build?${q}`, '', {
      'Content-Type': 'application/x-tar',
    });
    assert.equal(r.status, 400, `${q}: ${r.text}`);
    assertStatusInSpec('POST', '/build', 400);
    assertMatchesSpec('POST', '/build', 400, r.json);
    assert.match((r.json as { message: string }).message, msg);
  }
  assert.ok((await d.client.ping()) !== undefined, 'the daemon keeps serving');
});

test('a missing Dockerfile in the context is reported in the stream', async () => {
  const r = await build(d, { 'other.txt': 'x' }, { dockerfile: 'Dockerfile.nope' });
  assert.match(r.error ?? '', /Cannot locate specified Dockerfile: Dockerfile\.nope/);
  const custom = await buildOk(
    d,
    { 'sub/my.Dockerfile': 'FROM busybox\nLABEL custom=yes\n' },
    { dockerfile: 'sub/my.Dockerfile' },
  );
  const img = await d.client.imageInspect(custom.id);
  assert.equal(img.Config?.Labels?.['custom'], 'yes');
});
