import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { berth, docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';

// `berth build` and `berth commit`: the context packed client side, the stream printed.
let d: TestDaemon;
let dir: string;
before(async () => {
  d = await startTestDaemon();
  dir = await mkdtemp('/tmp/bldb-');
});
after(async () => {
  await d.cleanup();
  await rm(dir, { recursive: true, force: true });
});

async function write(files: Record<string, string>): Promise<void> {
  for (const [f, content] of Object.entries(files)) {
    await mkdir(join(dir, f, '..'), { recursive: true });
    await writeFile(join(dir, f), content);
  }
}

test('berth build: .dockerignore client side, -t, --build-arg, --label, -q, --no-cache', async () => {
  await write({
    'ctx/Dockerfile': 'FROM busybox\nARG V\nCOPY . /ctx/\nRUN echo "$V" > /v\n',
    'ctx/.dockerignore': '**/*.secret\n!public.secret\nDockerfile\n',
    'ctx/a.txt': 'a',
    'ctx/x/private.secret': 's',
    'ctx/public.secret': 'p',
  });
  await symlink('/etc/passwd', join(dir, 'ctx/link'));
  const ctx = join(dir, 'ctx');
  const r = await berth(d, ['build', '-t', 'bb:1', '--build-arg', 'V=val', '--label', 'k=v', ctx]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Step 1\/4 : FROM busybox$/m);
  assert.match(r.stdout, /Successfully tagged bb:1/);
  const ls = await docker(d, [
    'run',
    '--rm',
    'bb:1',
    'sh',
    '-c',
    'cd /ctx && find . | sort; cat /v',
  ]);
  // The Dockerfile is sent (the build needs it) but, ignored, not copied (Docker's daemon drops
  // it from the context); the link travels as a link
  assert.equal(ls.stdout, '.\n./.dockerignore\n./a.txt\n./link\n./public.secret\n./x\nval\n');
  const label = await docker(d, ['image', 'inspect', '-f', '{{.Config.Labels.k}}', 'bb:1']);
  assert.equal(label.stdout, 'v\n');
  const q = await berth(d, ['build', '-q', '--build-arg', 'V=val', '--label', 'k=v', ctx]);
  assert.equal(q.code, 0, q.stderr);
  const id = (await docker(d, ['image', 'inspect', '-f', '{{.Id}}', 'bb:1'])).stdout;
  assert.equal(q.stdout, id, '-q prints only the (cached) id');
  const nc = await berth(d, ['image', 'build', '--no-cache', '--build-arg', 'V=val', ctx]);
  assert.equal(nc.code, 0, nc.stderr);
  assert.doesNotMatch(nc.stdout, /Using cache/);
});

test('berth build -f outside the context and --target; errors exit 1', async () => {
  await write({
    'other.Dockerfile': 'FROM busybox AS a\nRUN echo a > /a\nFROM busybox\nRUN echo b > /b\n',
    'ctx2/f': 'f',
  });
  const ctx = join(dir, 'ctx2');
  const r = await berth(d, [
    'build',
    '-f',
    join(dir, 'other.Dockerfile'),
    '--target',
    'a',
    '-t',
    'bt',
    ctx,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await docker(d, ['run', '--rm', 'bt', 'cat', '/a'])).stdout, 'a\n');
  await write({ 'bad/Dockerfile': 'FROM busybox\nRUN exit 4\n' });
  const bad = await berth(d, ['build', join(dir, 'bad')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /returned a non-zero code: 4/);
  const none = await berth(d, ['build', join(dir, 'nope')]);
  assert.notEqual(none.code, 0);
  assert.match(none.stderr, /nope/);
});

test('berth commit -c -m -a makes an image of the container changes', async () => {
  const c = await docker(d, ['run', '--name', 'bc', 'busybox', 'sh', '-c', 'echo hi > /hi']);
  assert.equal(c.code, 0, c.stderr);
  const r = await berth(d, [
    'commit',
    '-c',
    'CMD ["cat", "/hi"]',
    '-m',
    'msg',
    '-a',
    'me',
    'bc',
    'bc-img:2',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^sha256:[0-9a-f]{64}\n$/);
  assert.equal((await docker(d, ['run', '--rm', 'bc-img:2'])).stdout, 'hi\n');
  const author = await docker(d, ['image', 'inspect', '-f', '{{.Author}}', 'bc-img:2']);
  assert.equal(author.stdout, 'me\n');
  const missing = await berth(d, ['commit', 'nosuch']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No such container: nosuch/);
  await docker(d, ['rm', '-f', 'bc']);
});
