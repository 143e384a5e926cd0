import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { berth, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

test('berth run --rm prints the output and returns the container exit code', async () => {
  const ok = await berth(d, ['run', '--rm', 'busybox', 'echo', 'hello from berth']);
  assert.equal(ok.stdout, 'hello from berth\n');
  assert.equal(ok.code, 0, ok.stderr);
  const three = await berth(d, ['run', '--rm', 'busybox', 'sh', '-c', 'echo e >&2; exit 3']);
  assert.equal(three.code, 3);
  assert.equal(three.stderr, 'e\n');
});

test('berth run -e -w -u --entrypoint are applied', async () => {
  const r = await berth(d, [
    'run',
    '--rm',
    '-e',
    'A=1',
    '-w',
    '/tmp',
    '-u',
    '65534',
    '--entrypoint',
    'sh',
    'busybox',
    '-c',
    'echo $A $(pwd) $(id -u)',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '1 /tmp 65534\n');
});

test('berth run -i passes stdin through and ends when it closes', async () => {
  const r = await berth(d, ['run', '--rm', '-i', 'busybox', 'sh', '-c', 'cat; echo done'], {
    input: 'line one\nline two\n',
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'line one\nline two\ndone\n');
});

test('berth run -d, ps, logs, stop, start, rm -f', async () => {
  const run = await berth(d, [
    'run',
    '-d',
    '--name',
    'bg',
    'busybox',
    'sh',
    '-c',
    'echo up; sleep 300',
  ]);
  assert.equal(run.code, 0, run.stderr);
  const id = run.stdout.trim();
  assert.match(id, /^[0-9a-f]{64}$/);
  const ps = await berth(d, ['ps']);
  assert.match(ps.stdout, /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES\n/);
  assert.match(ps.stdout, new RegExp(`\\n${id.slice(0, 12)}\\s+busybox\\s+.*Up .*\\s+bg\\n$`));
  assert.equal((await berth(d, ['ps', '-q'])).stdout, `${id.slice(0, 12)}\n`);
  let logs = await berth(d, ['logs', 'bg']);
  for (let i = 0; i < 50 && logs.stdout === ''; i++) {
    await new Promise((r) => setTimeout(r, 50));
    logs = await berth(d, ['logs', 'bg']);
  }
  assert.equal(logs.stdout, 'up\n');
  const stop = await berth(d, ['stop', '-t', '1', 'bg']);
  assert.equal(stop.code, 0, stop.stderr);
  assert.equal(stop.stdout, 'bg\n');
  assert.match((await berth(d, ['ps', '-a'])).stdout, /Exited \(137\)/);
  assert.equal((await berth(d, ['start', 'bg'])).code, 0);
  const rm = await berth(d, ['rm', '-f', 'bg']);
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal((await berth(d, ['ps', '-aq'])).stdout, '');
});

test('berth images, inspect, version and info', async () => {
  const images = await berth(d, ['images']);
  assert.match(
    images.stdout,
    /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE\nbusybox\s+latest\s+[0-9a-f]{12}\s/,
  );
  const inspect = await berth(d, ['inspect', 'busybox']);
  assert.equal(inspect.code, 0, inspect.stderr);
  const parsed = JSON.parse(inspect.stdout) as { Config: { Cmd: string[] } }[];
  assert.deepEqual(parsed[0]?.Config.Cmd, ['sh']);
  const version = await berth(d, ['version']);
  assert.match(version.stdout, /Berth/);
  const info = await berth(d, ['info']);
  assert.equal(info.code, 0, info.stderr);
  assert.match(info.stdout, /overlay/);
});

test('berth errors: unknown image exits 125, unknown container 1, daemon message shown', async () => {
  // A registry on a closed loopback port: the pull berth attempts never leaves this machine.
  const img = await berth(d, ['run', '--rm', '127.0.0.1:9/nosuch']);
  assert.equal(img.code, 125);
  assert.match(img.stderr, /Unable to find image '127\.0\.0\.1:9\/nosuch:latest' locally/);
  const ctr = await berth(d, ['logs', 'ghost']);
  assert.equal(ctr.code, 1);
  assert.match(ctr.stderr, /No such container: ghost/);
  const missing = await berth(d, ['run', '--rm', 'busybox', 'nosuchcmd']);
  assert.equal(missing.code, 127);
});
