import assert from 'node:assert/strict';
import { lstat, mkdir, readFile, readlink, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { execFile } from '../../src/lib/exec.js';
import { docker, startTestDaemon, type TestDaemon } from '../helpers/test-daemon.js';

// docker cp both ways through the real docker CLI, including the escape cases of issue 6.
let d: TestDaemon;
let dir: string;
before(async () => {
  d = await startTestDaemon();
  dir = join(d.dataRoot, '..', 'cp');
  await mkdir(dir, { recursive: true });
  const r = await docker(d, [
    'run',
    '-d',
    '--name',
    'cpc',
    'busybox',
    'sh',
    '-c',
    'mkdir -p /data/sub /dst && printf one > /data/a && printf two > /data/sub/b && ' +
      'echo ctr-secret > /etc/shadow && ln -s /etc/shadow /data/shadow-link && ln -s / /toroot && ' +
      'touch /ready && exec sleep 300',
  ]);
  ok(r);
  for (
    let i = 0;
    i < 200 && (await docker(d, ['exec', 'cpc', 'test', '-e', '/ready'])).code !== 0;
    i++
  )
    await new Promise((res) => setTimeout(res, 50));
});
after(async () => {
  await d.cleanup();
});

const ok = (r: { code: number | null; stderr: string }) => assert.equal(r.code, 0, r.stderr);
const inCtr = async (cmd: string): Promise<string> => {
  const r = await docker(d, ['exec', 'cpc', 'sh', '-c', cmd]);
  ok(r);
  return r.stdout;
};
/** A shell pipeline with the docker CLI pointed at the test daemon. */
const pipeline = (script: string) =>
  execFile('sh', ['-c', script], {
    timeoutMs: 60_000,
    cwd: dir,
    env: {
      ...process.env,
      DOCKER_HOST: d.host,
      DOCKER_CONFIG: join(d.dataRoot, '..', 'docker-config'),
    },
  });

test('docker cp into a container: a file, a renamed file, a directory, its contents', async () => {
  await mkdir(join(dir, 'in/deep'), { recursive: true });
  await writeFile(join(dir, 'in/x'), 'ex');
  await writeFile(join(dir, 'in/deep/y'), 'why');
  ok(await docker(d, ['cp', join(dir, 'in/x'), 'cpc:/dst/']));
  ok(await docker(d, ['cp', join(dir, 'in/x'), 'cpc:/dst/renamed']));
  ok(await docker(d, ['cp', join(dir, 'in'), 'cpc:/dst/']));
  ok(await docker(d, ['cp', join(dir, 'in/.'), 'cpc:/dst/contents']));
  assert.equal(
    await inCtr('cat /dst/x /dst/renamed /dst/in/deep/y /dst/contents/deep/y'),
    'exexwhywhy',
  );
  const missing = await docker(d, ['cp', join(dir, 'in/x'), 'cpc:/nope/dir/']);
  assert.notEqual(missing.code, 0);
});

test('docker cp out of a container: a file, a directory, contents, and stdout as a tar', async () => {
  ok(await docker(d, ['cp', 'cpc:/data/a', join(dir, 'a-out')]));
  assert.equal(await readFile(join(dir, 'a-out'), 'utf8'), 'one');
  ok(await docker(d, ['cp', 'cpc:/data', join(dir, 'data-out')]));
  assert.equal(await readFile(join(dir, 'data-out/sub/b'), 'utf8'), 'two');
  await mkdir(join(dir, 'existing'), { recursive: true });
  ok(await docker(d, ['cp', 'cpc:/data/.', join(dir, 'existing')]));
  assert.equal(await readFile(join(dir, 'existing/sub/b'), 'utf8'), 'two');
  const listing = await pipeline('docker cp cpc:/data - | tar -t | sort');
  ok(listing);
  assert.deepEqual(listing.stdout.trim().split('\n'), [
    'data/',
    'data/a',
    'data/shadow-link',
    'data/sub/',
    'data/sub/b',
  ]);
  const missing = await docker(d, ['cp', 'cpc:/nope', join(dir, 'nope')]);
  assert.notEqual(missing.code, 0);
  assert.match(
    missing.stderr,
    /Could not find the file \/nope in container cpc|No such container:path/,
  );
});

test('docker cp from stdin, and -a keeps ownership for the container user', async () => {
  await mkdir(join(dir, 'st'), { recursive: true });
  await writeFile(join(dir, 'st/piped'), 'from stdin');
  ok(await pipeline('tar -c -C st piped | docker cp - cpc:/dst'));
  assert.equal(await inCtr('cat /dst/piped'), 'from stdin');
  ok(
    await docker(d, [
      'run',
      '-d',
      '--name',
      'cpu',
      '--user',
      '4321:8765',
      'busybox',
      'sleep',
      '300',
    ]),
  );
  await writeFile(join(dir, 'owned'), 'o');
  ok(await docker(d, ['cp', '-a', join(dir, 'owned'), 'cpu:/tmp/']));
  const owner = await docker(d, ['exec', 'cpu', 'stat', '-c', '%u:%g', '/tmp/owned']);
  assert.equal(owner.stdout, '4321:8765\n');
  ok(await docker(d, ['rm', '-f', 'cpu']));
});

test('escapes: links to /etc/shadow and to / never reach the host', async () => {
  // Without -L the link itself is copied; with -L its target, resolved in the container.
  ok(await docker(d, ['cp', 'cpc:/data/shadow-link', join(dir, 'link-copy')]));
  assert.equal(await readlink(join(dir, 'link-copy')), '/etc/shadow');
  ok(await docker(d, ['cp', '-L', 'cpc:/data/shadow-link', join(dir, 'shadow-copy')]));
  assert.equal(await readFile(join(dir, 'shadow-copy'), 'utf8'), 'ctr-secret\n');
  assert.equal((await lstat(join(dir, 'shadow-copy'))).isFile(), true);
  // A path through a link to / is the container's /.
  ok(await docker(d, ['cp', 'cpc:/toroot/etc/shadow', join(dir, 'via-root')]));
  assert.equal(await readFile(join(dir, 'via-root'), 'utf8'), 'ctr-secret\n');
  // Copying into the link to / writes into the container's /, never the host's.
  const marker = `berth-cp-${process.pid}`;
  await writeFile(join(dir, marker), 'inside');
  ok(await docker(d, ['cp', join(dir, marker), 'cpc:/toroot/']));
  assert.equal(await inCtr(`cat /${marker}`), 'inside');
  assert.equal(existsSync(`/${marker}`), false);
  assert.equal((await stat('/etc/shadow')).isFile(), true);
});
