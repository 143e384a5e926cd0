import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildTar } from '../../../src/archive/tar-fixture.js';
import { execFile } from '../../../src/lib/exec.js';
import { assertStatusInSpec } from '../../compat/spec-check.js';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { ok, runScript as runScriptIn, type Run } from './run-script.js';
import { bin } from './fs-http.js';

// docker cp sees exactly what the container sees: volumes, binds and tmpfs mounts (issue 6).
let d: TestDaemon;
let dir: string;
before(async () => {
  d = await startTestDaemon();
  dir = await mkdtemp('/tmp/cpvm-');
  await writeFile(join(dir, 'payload'), 'from-host');
});
after(async () => {
  await d.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const dk = async (...args: string[]): Promise<Run> => docker(d, args);
const runScript = (name: string, flags: string[], script: string): Promise<void> =>
  runScriptIn(d, name, flags, script);

const mountpoint = async (vol: string): Promise<string> =>
  ok(await dk('volume', 'inspect', '-f', '{{.Mountpoint}}', vol)).stdout.trim();

test('running: cp into a named volume is seen by another container; cp out reads the volume', async () => {
  await runScript('vr', ['-v', 'cpv-a:/vol'], 'echo in-volume > /vol/inner');
  ok(await dk('cp', join(dir, 'payload'), 'vr:/vol/copied'));
  const other = ok(await dk('run', '--rm', '-v', 'cpv-a:/v', 'busybox', 'cat', '/v/copied'));
  assert.equal(other.stdout, 'from-host');
  ok(await dk('cp', 'vr:/vol/inner', join(dir, 'inner-out')));
  assert.equal(await readFile(join(dir, 'inner-out'), 'utf8'), 'in-volume\n');
  // The rootfs underneath the volume got nothing.
  ok(await dk('rm', '-f', 'vr'));
  ok(await dk('create', '--name', 'vr2', 'busybox', 'true'));
  assert.notEqual((await dk('cp', 'vr2:/vol/copied', join(dir, 'nope'))).code, 0);
  ok(await dk('rm', '-f', 'vr2'));
});

test('running: cp out of a tmpfs path and into it', async () => {
  await runScript('tf', ['--tmpfs', '/scratch'], 'echo tmp-data > /scratch/t');
  ok(await dk('cp', 'tf:/scratch/t', join(dir, 'tmp-out')));
  assert.equal(await readFile(join(dir, 'tmp-out'), 'utf8'), 'tmp-data\n');
  ok(await dk('cp', join(dir, 'payload'), 'tf:/scratch/p'));
  assert.equal(ok(await dk('exec', 'tf', 'cat', '/scratch/p')).stdout, 'from-host');
  ok(await dk('rm', '-f', 'tf'));
});

test('cp into a bind mount lands in the host dir, running and stopped', async () => {
  const live = join(dir, 'bind-live');
  const cold = join(dir, 'bind-cold');
  await mkdir(live);
  await mkdir(cold);
  await runScript('bd', ['-v', `${live}:/bind`], 'true');
  ok(await dk('cp', join(dir, 'payload'), 'bd:/bind/'));
  assert.equal(await readFile(join(live, 'payload'), 'utf8'), 'from-host');
  ok(await dk('create', '--name', 'bs', '-v', `${cold}:/bind`, 'busybox', 'true'));
  ok(await dk('cp', join(dir, 'payload'), 'bs:/bind/sub-file'));
  assert.equal(await readFile(join(cold, 'sub-file'), 'utf8'), 'from-host');
  await writeFile(join(cold, 'host-made'), 'host');
  ok(await dk('cp', 'bs:/bind/host-made', join(dir, 'host-made-out')));
  assert.equal(await readFile(join(dir, 'host-made-out'), 'utf8'), 'host');
  ok(await dk('rm', '-f', 'bd', 'bs'));
});

test('stopped: cp into and out of a volume path uses the volume', async () => {
  ok(await dk('create', '--name', 'sv', '-v', 'cpv-b:/vol', 'busybox', 'true'));
  ok(await dk('cp', join(dir, 'payload'), 'sv:/vol/cold'));
  assert.equal(await readFile(join(await mountpoint('cpv-b'), 'cold'), 'utf8'), 'from-host');
  const other = ok(await dk('run', '--rm', '-v', 'cpv-b:/v', 'busybox', 'cat', '/v/cold'));
  assert.equal(other.stdout, 'from-host');
  ok(await dk('cp', 'sv:/vol/cold', join(dir, 'cold-out')));
  assert.equal(await readFile(join(dir, 'cold-out'), 'utf8'), 'from-host');
  ok(await dk('rm', '-f', 'sv'));
});

test('a :ro volume refuses a cp, running or stopped; a --read-only rootfs still takes a rw volume', async () => {
  await runScript('rov', ['-v', 'cpv-c:/ro:ro', '-v', 'cpv-d:/rw'], 'true');
  const r = await dk('cp', join(dir, 'payload'), 'rov:/ro/');
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /mounted volume is marked read-only/);
  const tar = await buildTar([{ header: { name: 'x' }, content: 'x' }]);
  const api = await bin(d.socket, 'PUT', `/v1.56/containers/rov/archive?path=/ro`, tar);
  assert.equal(api.status, 400);
  assertStatusInSpec('PUT', '/containers/{id}/archive', 400);
  // A tar whose entries reach into the read-only mount from above it is refused too.
  const deep = await buildTar([{ header: { name: 'ro/deep' }, content: 'x' }]);
  assert.equal(
    (await bin(d.socket, 'PUT', `/v1.56/containers/rov/archive?path=/`, deep)).status,
    400,
  );
  ok(await dk('stop', '-t', '0', 'rov'));
  assert.notEqual((await dk('cp', join(dir, 'payload'), 'rov:/ro/')).code, 0);
  assert.equal(
    (await bin(d.socket, 'PUT', `/v1.56/containers/rov/archive?path=/`, deep)).status,
    400,
  );
  assert.equal(existsSync(join(await mountpoint('cpv-c'), 'payload')), false);
  assert.equal(existsSync(join(await mountpoint('cpv-c'), 'deep')), false);

  ok(
    await dk(
      'run',
      '-d',
      '--name',
      'rofs',
      '--read-only',
      '-v',
      'cpv-e:/rw',
      'busybox',
      'sleep',
      '300',
    ),
  );
  ok(await dk('cp', join(dir, 'payload'), 'rofs:/rw/'));
  assert.equal(await readFile(join(await mountpoint('cpv-e'), 'payload'), 'utf8'), 'from-host');
  const rootfs = await dk('cp', join(dir, 'payload'), 'rofs:/');
  assert.notEqual(rootfs.code, 0);
  assert.match(rootfs.stderr, /container rootfs is marked read-only/);
  ok(await dk('rm', '-f', 'rov', 'rofs'));
});

test('cp out of a directory holding mounts includes the volume, bind and tmpfs, never /proc', async () => {
  const bindDir = join(dir, 'bind-under');
  await mkdir(bindDir);
  await writeFile(join(bindDir, 'b'), 'bound');
  const flags = ['-v', 'cpv-f:/data/vol', '-v', `${bindDir}:/data/bind`, '--tmpfs', '/data/tmp'];
  const script = 'echo v > /data/vol/inner; echo t > /data/tmp/t; echo r > /data/plain';
  await runScript('mp', flags, script);
  const live = join(dir, 'mp-live');
  ok(await dk('cp', 'mp:/data', live));
  assert.equal(await readFile(join(live, 'vol/inner'), 'utf8'), 'v\n');
  assert.equal(await readFile(join(live, 'bind/b'), 'utf8'), 'bound');
  assert.equal(await readFile(join(live, 'tmp/t'), 'utf8'), 't\n');
  assert.equal(await readFile(join(live, 'plain'), 'utf8'), 'r\n');
  // The whole root: the container's files and volumes; the kernel's mounts are empty dirs.
  // Names are absolute, as Docker sends them for `/`.
  const env = { ...process.env, DOCKER_HOST: d.host, DOCKER_CONFIG: join(dir, 'dc') };
  const list = await execFile('sh', ['-c', 'docker cp mp:/ - | tar -t'], {
    env,
    timeoutMs: 60_000,
  });
  assert.equal(list.code, 0, list.stderr);
  const names = list.stdout.split('\n');
  assert.equal(names[0], '/');
  for (const name of ['/data/vol/inner', '/data/tmp/t', '/bin/busybox', '/proc/', '/sys/'])
    assert.ok(names.includes(name), `${name} in ${names.length} names`);
  assert.deepEqual(
    names.filter((n) => /^\/(proc|sys)\/./.test(n)),
    [],
  );
  // The docker CLI rebases those names onto a new directory.
  const all = join(dir, 'mp-root');
  ok(await dk('cp', 'mp:/', all));
  assert.equal(await readFile(join(all, 'data/vol/inner'), 'utf8'), 'v\n');
  assert.equal(existsSync(join(all, 'bin/busybox')), true);
  assert.deepEqual(await readdir(join(all, 'proc')), []);
  // Stopped: the volume and bind come from their host sources, the tmpfs is gone.
  ok(await dk('stop', '-t', '0', 'mp'));
  const cold = join(dir, 'mp-cold');
  ok(await dk('cp', 'mp:/data', cold));
  assert.equal(await readFile(join(cold, 'vol/inner'), 'utf8'), 'v\n');
  assert.equal(await readFile(join(cold, 'bind/b'), 'utf8'), 'bound');
  assert.deepEqual(await readdir(join(cold, 'tmp')), []);
  ok(await dk('rm', '-f', 'mp'));
});
