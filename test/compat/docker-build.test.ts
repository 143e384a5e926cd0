import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from '../../src/lib/exec.js';
import { docker, startTestDaemon, type TestDaemon } from '../helpers/test-daemon.js';

// `docker build` (classic builder: DOCKER_BUILDKIT=0) and `docker commit`, through the real CLI.
let d: TestDaemon;
let dir: string;
before(async () => {
  d = await startTestDaemon();
  dir = await mkdtemp('/tmp/bldc-');
});
after(async () => {
  await d.cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** `DOCKER_BUILDKIT=0 docker build args...` against the test daemon. */
function dockerBuild(args: string[], buildkit = '0') {
  return execFile('docker', ['build', ...args], {
    timeoutMs: 120_000,
    env: {
      ...process.env,
      DOCKER_HOST: d.host,
      DOCKER_CONFIG: join(d.dataRoot, '..', 'docker-config'),
      DOCKER_BUILDKIT: buildkit,
    },
  });
}

/** A fresh context directory with `files`. */
async function context(name: string, files: Record<string, string>): Promise<string> {
  const ctx = join(dir, name);
  for (const [f, content] of Object.entries(files)) {
    await mkdir(join(ctx, f, '..'), { recursive: true });
    await writeFile(join(ctx, f), content);
  }
  return ctx;
}

test('docker build -t: classic output, .dockerignore, build-arg, label; the image runs', async () => {
  const ctx = await context('app', {
    Dockerfile: [
      'FROM busybox',
      'ARG MSG=default',
      'WORKDIR /app',
      'COPY . .',
      'RUN echo "$MSG" > msg.txt',
      'CMD ["sh", "-c", "cat msg.txt; ls"]',
    ].join('\n'),
    '.dockerignore': '*.tmp\n!keep.tmp\n**/node_modules\n',
    'main.sh': 'echo main\n',
    'junk.tmp': 'x',
    'keep.tmp': 'x',
    'lib/node_modules/x.js': 'x',
  });
  const r = await dockerBuild([
    '-t',
    'cli-app:1',
    '--build-arg',
    'MSG=from-cli',
    '--label',
    'via=cli',
    ctx,
  ]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /Step 1\/6 : FROM busybox/);
  assert.match(r.stdout, /Successfully built [0-9a-f]{12}/);
  assert.match(r.stdout, /Successfully tagged cli-app:1/);
  const run = await docker(d, ['run', '--rm', 'cli-app:1']);
  assert.equal(run.stdout, 'from-cli\nDockerfile\nkeep.tmp\nlib\nmain.sh\nmsg.txt\n');
  const label = await docker(d, [
    'image',
    'inspect',
    '-f',
    '{{index .Config.Labels "via"}}',
    'cli-app:1',
  ]);
  assert.equal(label.stdout, 'cli\n');
  const again = await dockerBuild(['-t', 'cli-app:1', '--build-arg', 'MSG=from-cli', ctx]);
  assert.equal((again.stdout.match(/ ---> Using cache/g) ?? []).length, 4, again.stdout);
  // touching a file keeps the cache; -q prints only the id
  await utimes(join(ctx, 'main.sh'), new Date(), new Date(Date.now() + 60_000));
  const quiet = await dockerBuild(['-q', '--build-arg', 'MSG=from-cli', ctx]);
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.match(quiet.stdout, /^sha256:[0-9a-f]{64}\n$/);
});

test('docker build -f, --target and --no-cache', async () => {
  const ctx = await context('multi', {
    'build/My.Dockerfile': [
      'FROM busybox AS one',
      'RUN echo one > /one',
      'FROM busybox AS two',
      'COPY --from=one /one /from-one',
      'RUN echo two >> /from-one',
    ].join('\n'),
  });
  const r = await dockerBuild(['-f', join(ctx, 'build/My.Dockerfile'), '-t', 'multi', ctx]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.equal(
    (await docker(d, ['run', '--rm', 'multi', 'cat', '/from-one'])).stdout,
    'one\ntwo\n',
  );
  const t = await dockerBuild([
    '-f',
    join(ctx, 'build/My.Dockerfile'),
    '--target',
    'one',
    '--no-cache',
    '-t',
    'multi:one',
    ctx,
  ]);
  assert.equal(t.code, 0, t.stderr);
  assert.doesNotMatch(t.stdout, /Using cache/);
  const one = await docker(d, ['run', '--rm', 'multi:one', 'sh', '-c', 'cat /one; ls /from-one']);
  assert.equal(one.stdout, 'one\n');
  assert.notEqual(one.code, 0, '/from-one is not in the target stage');
});

test('a Dockerfile error makes docker build exit 1 naming the line', async () => {
  const ctx = await context('bad', { Dockerfile: 'FROM busybox\nRUN true\nCOPY\n' });
  const r = await dockerBuild([ctx]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /line 3/);
  const run = await context('badrun', { Dockerfile: 'FROM busybox\nRUN exit 9\n' });
  const f = await dockerBuild([run]);
  assert.equal(f.code, 1);
  assert.match(f.stderr, /returned a non-zero code: 9/);
});

test('intermediates: hidden from docker images without -a; Parent; rmi removes untagged parents', async () => {
  const ctx = await context('layers', {
    Dockerfile: 'FROM busybox\nRUN echo 1 > /1\nRUN echo 2 > /2\nENV DONE=1\n',
  });
  const r = await dockerBuild(['-t', 'layered', ctx]);
  assert.equal(r.code, 0, r.stderr);
  const id = (await docker(d, ['image', 'inspect', '-f', '{{.Id}}', 'layered'])).stdout.trim();
  const parent = (await docker(d, ['image', 'inspect', '-f', '{{.Parent}}', 'layered'])).stdout;
  assert.match(parent, /^sha256:[0-9a-f]{64}\n$/);
  const shown = (await docker(d, ['images', '-q', '--no-trunc'])).stdout.split('\n');
  const all = (await docker(d, ['images', '-a', '-q', '--no-trunc'])).stdout.split('\n');
  assert.ok(shown.includes(id));
  assert.ok(!shown.includes(parent.trim()), 'the intermediate is hidden');
  assert.ok(all.includes(parent.trim()), 'docker images -a shows it');
  const rmi = await docker(d, ['rmi', 'layered']);
  assert.equal(rmi.code, 0, rmi.stderr);
  const deleted = rmi.stdout.split('\n').filter((l) => l.startsWith('Deleted: '));
  // the image and its 3 untagged parents (the build steps), busybox kept
  assert.ok(deleted.length >= 4, rmi.stdout);
  assert.ok(deleted.includes(`Deleted: ${id}`) && deleted.includes(`Deleted: ${parent.trim()}`));
  const left = (await docker(d, ['images', '-a', '-q', '--no-trunc'])).stdout;
  assert.ok(!left.includes(parent.trim()));
  assert.ok((await docker(d, ['image', 'inspect', 'busybox'])).code === 0, 'busybox stays');
});

test('docker commit -c -m -a (pausing a running container); the new image has the change', async () => {
  const run = await docker(d, [
    'run',
    '-d',
    '--name',
    'tocommit',
    'busybox',
    'sh',
    '-c',
    'echo changed > /state; sleep 300',
  ]);
  assert.equal(run.code, 0, run.stderr);
  for (let i = 0; i < 100; i++) {
    const diff = await docker(d, ['diff', 'tocommit']);
    if (diff.stdout.includes('/state')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const c = await docker(d, [
    'commit',
    '-c',
    'ENV COMMITTED=yes',
    '-c',
    'CMD ["cat", "/state"]',
    '-m',
    'the message',
    '-a',
    'Someone',
    'tocommit',
    'committed:cli',
  ]);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, /^sha256:[0-9a-f]{64}\n$/);
  const state = await docker(d, ['inspect', '-f', '{{.State.Status}}', 'tocommit']);
  assert.equal(state.stdout, 'running\n', 'unpaused after the commit');
  const out = await docker(d, ['run', '--rm', 'committed:cli']);
  assert.equal(out.stdout, 'changed\n');
  const meta = await docker(d, [
    'image',
    'inspect',
    '-f',
    '{{.Author}}|{{json .Config.Env}}',
    'committed:cli',
  ]);
  assert.match(meta.stdout, /^Someone\|.*"COMMITTED=yes"/);
  const hist = await docker(d, [
    'history',
    '--no-trunc',
    '--format',
    '{{.Comment}}',
    'committed:cli',
  ]);
  assert.match(hist.stdout, /the message/);
  await docker(d, ['rm', '-f', 'tocommit']);
});

test('with BuildKit asked for (DOCKER_BUILDKIT=1) the CLI needs buildx and does not build', async () => {
  const ctx = await context('bk', { Dockerfile: 'FROM busybox\n' });
  const r = await dockerBuild([ctx], '1');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /buildx/i);
});
