import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execFile } from '../../src/lib/exec.js';
import { berth, docker, startTestDaemon, type TestDaemon } from '../helpers/test-daemon.js';

let d: TestDaemon;

before(async () => {
  d = await startTestDaemon();
  const r = await docker(d, ['run', '-d', '--name', 'web', 'busybox', 'sleep', '600']);
  assert.equal(r.code, 0, r.stderr);
});
after(async () => {
  await tmux('kill-server').catch(() => undefined);
  await d.cleanup();
});

test('docker exec: output, exit code, -u, -w, -e', async () => {
  const hi = await docker(d, ['exec', 'web', 'echo', 'hi']);
  assert.equal(hi.code, 0, hi.stderr);
  assert.equal(hi.stdout, 'hi\n');
  assert.equal((await docker(d, ['exec', 'web', 'sh', '-c', 'exit 5'])).code, 5);
  assert.equal((await docker(d, ['exec', '-u', 'nobody', 'web', 'id', '-u'])).stdout, '65534\n');
  assert.equal((await docker(d, ['exec', '-w', '/tmp', 'web', 'pwd'])).stdout, '/tmp\n');
  const env = await docker(d, ['exec', '-e', 'A=1', 'web', 'sh', '-c', 'echo A=$A']);
  assert.equal(env.stdout, 'A=1\n');
  const err = await docker(d, ['exec', 'web', 'sh', '-c', 'echo oops >&2']);
  assert.equal(err.stderr, 'oops\n');
  assert.equal(err.stdout, '');
});

test('docker exec -i with piped stdin, and -d running in the background', async () => {
  const r = await docker(d, ['exec', '-i', 'web', 'sh', '-c', 'tr a-z A-Z'], { input: 'piped\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'PIPED\n');
  const bg = await docker(d, ['exec', '-d', 'web', 'sh', '-c', 'sleep 0.3; echo done > /tmp/mark']);
  assert.equal(bg.code, 0, bg.stderr);
  assert.equal(bg.stdout, '');
  let mark = '';
  for (let i = 0; i < 50 && mark !== 'done\n'; i++) {
    await sleep(100);
    mark = (await docker(d, ['exec', 'web', 'cat', '/tmp/mark'])).stdout;
  }
  assert.equal(mark, 'done\n');
});

test('docker exec of a missing binary exits 127 with the runtime message', async () => {
  const r = await docker(d, ['exec', 'web', 'nosuch-binary']);
  assert.equal(r.code, 127);
  assert.match(r.stdout + r.stderr, /executable file not found/);
});

test('docker exec into a stopped container: Docker message, exit 1', async () => {
  assert.equal((await docker(d, ['run', '--name', 'done', 'busybox', 'true'])).code, 0);
  const id = (await docker(d, ['inspect', '-f', '{{.Id}}', 'done'])).stdout.trim();
  const r = await docker(d, ['exec', 'done', 'true']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, new RegExp(`Container ${id} is not running`));
});

test('docker exec --privileged has more effective capabilities', async () => {
  const capEff = async (extra: string[]): Promise<bigint> => {
    const r = await docker(d, ['exec', ...extra, 'web', 'grep', 'CapEff', '/proc/self/status']);
    assert.equal(r.code, 0, r.stderr);
    return BigInt(`0x${r.stdout.split(/\s+/)[1] ?? ''}`);
  };
  const plain = await capEff([]);
  const privileged = await capEff(['--privileged']);
  assert.equal(plain, 0xa80425fbn, "Docker's default set");
  assert.ok(privileged > plain, `${privileged.toString(16)} > ${plain.toString(16)}`);
  assert.equal(privileged & plain, plain, 'a superset');
});

test('berth exec: output, exit code, stdin, -u', async () => {
  const hi = await berth(d, ['exec', 'web', 'echo', 'hi']);
  assert.equal(hi.stdout, 'hi\n', hi.stderr);
  assert.equal(hi.code, 0);
  assert.equal((await berth(d, ['exec', 'web', 'sh', '-c', 'exit 5'])).code, 5);
  const i = await berth(d, ['exec', '-i', 'web', 'cat'], { input: 'from berth\n' });
  assert.equal(i.stdout, 'from berth\n');
  assert.equal((await berth(d, ['exec', '-u', 'nobody', 'web', 'id', '-u'])).stdout, '65534\n');
  assert.equal((await berth(d, ['exec', 'web', 'nosuch-binary'])).code, 127);
  assert.equal((await berth(d, ['container', 'exec', '-d', 'web', 'true'])).code, 0);
  assert.equal((await berth(d, ['exec', 'done', 'true'])).code, 1);
});

// ---- docker exec -it through a real pty (tmux) ----

/**
 * Its own tmux server, with its socket in the daemon's test dir (which cleanup deletes), so the
 * test neither sees nor touches anyone else's sessions and leaves no socket behind.
 */
function tmux(...args: string[]) {
  const socket = join(d.dataRoot, '..', 'tmux.sock');
  return execFile('tmux', ['-S', socket, ...args], { timeoutMs: 10_000 });
}

async function screenShows(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = (await tmux('capture-pane', '-p', '-t', 'x')).stdout;
    if (pattern.test(text)) return text;
    await sleep(100);
  }
  assert.fail(`the screen never showed ${pattern}:\n${text}`);
}

test('docker exec -it: a prompt, typed commands run, resize reaches stty, exit 3 ends the client with 3', async () => {
  const exitFile = join(d.dataRoot, '..', 'exec-it.exit');
  const cmd =
    `env DOCKER_HOST=${d.host} DOCKER_CONFIG=${join(d.dataRoot, '..', 'docker-config')} ` +
    `docker exec -it web sh; echo $? > ${exitFile}; sleep 60`;
  const started = await tmux('new-session', '-d', '-s', 'x', '-x', '120', '-y', '40', cmd);
  assert.equal(started.code, 0, started.stderr);
  await screenShows(/^\/ #/m);
  await tmux('send-keys', '-t', 'x', 'echo $((6*7))', 'Enter');
  await screenShows(/^42\s*$/m);
  await tmux('send-keys', '-t', 'x', 'stty size', 'Enter');
  await screenShows(/^40 120\s*$/m);
  await tmux('resize-window', '-t', 'x', '-x', '100', '-y', '30');
  await sleep(500); // docker sends POST /exec/{id}/resize on SIGWINCH
  await tmux('send-keys', '-t', 'x', 'clear; stty size', 'Enter');
  await screenShows(/^30 100\s*$/m);
  await tmux('send-keys', '-t', 'x', 'exit 3', 'Enter');
  let code = '';
  for (let i = 0; i < 100 && code === ''; i++) {
    await sleep(100);
    code = (await readFile(exitFile, 'utf8').catch(() => '')).trim();
  }
  assert.equal(code, '3');
  await tmux('kill-session', '-t', 'x');
});
