import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { docker, startTestDaemon, type TestDaemon } from '../helpers/test-daemon.js';

// The same scenarios a user runs, through the unmodified docker CLI (it is only a client here).
let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

test('docker version names Berth as the server', async () => {
  const r = await docker(d, [
    'version',
    '--format',
    '{{.Server.Platform.Name}} {{.Server.APIVersion}}',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Berth Engine \S+ 1\.\d+\n$/);
});

test('docker run --rm busybox echo hi prints hi and exits 0', async () => {
  const r = await docker(d, ['run', '--rm', 'busybox', 'echo', 'hi']);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, 'hi\n');
  assert.equal(r.code, 0);
  const ps = await docker(d, ['ps', '-aq']);
  assert.equal(ps.stdout, '', 'the --rm container is gone');
});

test("docker run busybox sh -c 'exit 3' exits 3", async () => {
  const r = await docker(d, [
    'run',
    '--name',
    'three',
    'busybox',
    'sh',
    '-c',
    'echo to-stderr >&2; exit 3',
  ]);
  assert.equal(r.code, 3);
  assert.equal(r.stderr, 'to-stderr\n');
  const rm = await docker(d, ['rm', 'three']);
  assert.equal(rm.code, 0, rm.stderr);
});

test('docker run -d, ps, logs, inspect and rm -f', async () => {
  const run = await docker(d, [
    'run',
    '-d',
    '--name',
    'web',
    'busybox',
    'sh',
    '-c',
    'echo started; sleep 300',
  ]);
  assert.equal(run.code, 0, run.stderr);
  const id = run.stdout.trim();
  assert.match(id, /^[0-9a-f]{64}$/);

  const ps = await docker(d, ['ps']);
  assert.equal(ps.code, 0, ps.stderr);
  const lines = ps.stdout.trim().split('\n');
  assert.match(
    lines[0] ?? '',
    /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/,
  );
  assert.match(
    lines[1] ?? '',
    new RegExp(`^${id.slice(0, 12)}\\s+busybox\\s+"sh -c 'echo started.*Up .*web$`),
  );

  let logs = await docker(d, ['logs', 'web']);
  for (let i = 0; i < 50 && logs.stdout === ''; i++) {
    await new Promise((r) => setTimeout(r, 50));
    logs = await docker(d, ['logs', 'web']);
  }
  assert.equal(logs.stdout, 'started\n');

  const state = await docker(d, [
    'inspect',
    '--format',
    '{{.State.Status}} {{.Name}} {{.Config.Image}}',
    'web',
  ]);
  assert.equal(state.stdout, 'running /web busybox\n');

  const rm = await docker(d, ['rm', '-f', 'web']);
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal(rm.stdout, 'web\n');
  assert.equal((await docker(d, ['ps', '-aq'])).stdout, '');
});

test('docker images and docker image inspect see busybox as an ordinary image', async () => {
  const images = await docker(d, ['images']);
  assert.equal(images.code, 0, images.stderr);
  assert.match(images.stdout, /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE\n/);
  assert.match(images.stdout, /\nbusybox\s+latest\s+[0-9a-f]{12}\s+.+\s+\d+(\.\d+)?MB\n$/);
  const cmd = await docker(d, [
    'image',
    'inspect',
    '--format',
    '{{json .Config.Cmd}} {{len .RootFS.Layers}}',
    'busybox',
  ]);
  assert.equal(cmd.stdout, '["sh"] 1\n');
});

test('docker errors: unknown image, unknown container, name conflict', async () => {
  // A registry on a closed loopback port: the pull the CLI attempts never leaves this machine.
  const noImage = await docker(d, ['run', '--rm', '127.0.0.1:9/nosuch:1']);
  assert.equal(noImage.code, 125);
  assert.match(noImage.stderr, /Unable to find image '127\.0\.0\.1:9\/nosuch:1' locally/);
  assert.match(noImage.stderr, /Error response from daemon: .*127\.0\.0\.1:9/);
  const noCtr = await docker(d, ['logs', 'ghost']);
  assert.equal(noCtr.code, 1);
  assert.match(noCtr.stderr, /No such container: ghost/);
  assert.equal((await docker(d, ['create', '--name', 'dup', 'busybox', 'true'])).code, 0);
  const dup = await docker(d, ['run', '-d', '--name', 'dup', 'busybox', 'true']);
  assert.equal(dup.code, 125);
  assert.match(dup.stderr, /Conflict\. The container name "\/dup" is already in use/);
  assert.equal((await docker(d, ['rm', 'dup'])).code, 0);
});

test('a missing command exits 127 like docker', async () => {
  const r = await docker(d, ['run', '--rm', 'busybox', 'no-such-command']);
  assert.equal(r.code, 127, r.stderr);
  assert.match(r.stderr, /executable file not found|no such file or directory/);
});
