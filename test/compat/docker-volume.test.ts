import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from '../../src/lib/exec.js';
import { docker, startTestDaemon, type TestDaemon } from '../helpers/test-daemon.js';
import { assertMatchesSpec } from './spec-check.js';
import { raw } from '../helpers/raw-http.js';

let d: TestDaemon;
let tmp: string;
before(async () => {
  d = await startTestDaemon();
  tmp = await mkdtemp('/tmp/bvc-');
  await buildVolumeImage();
});
after(async () => {
  await d.cleanup();
  await rm(tmp, { recursive: true, force: true });
});

/** `docker <args>`: asserts success and returns stdout. */
async function ok(args: string[]): Promise<string> {
  const r = await docker(d, args);
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** `docker <args>`: asserts failure and returns stderr + stdout. */
async function fails(args: string[]): Promise<string> {
  const r = await docker(d, args);
  assert.notEqual(r.code, 0, `docker ${args.join(' ')} should fail: ${r.stdout}`);
  return r.stderr + r.stdout;
}

/**
 * `volimg`: busybox plus /data (owner 1234:5678, mode 0750, a file 0640 and a symlink) and
 * `VOLUME /data`, imported from a tar built here (no registry, no network). `/escape` is a
 * symlink to a host dir, to prove mounts never follow it out of the rootfs.
 */
async function buildVolumeImage(): Promise<void> {
  const root = join(tmp, 'rootfs');
  await mkdir(join(root, 'bin'), { recursive: true });
  await copyFile('/bin/busybox', join(root, 'bin/busybox'));
  for (const a of ['sh', 'stat', 'cat', 'ls', 'touch', 'readlink', 'test', 'echo']) {
    await symlink('busybox', join(root, 'bin', a));
  }
  await mkdir(join(root, 'data'), { mode: 0o750 });
  await writeFile(join(root, 'data/f'), 'from image', { mode: 0o640 });
  await symlink('f', join(root, 'data/link'));
  await symlink(join(tmp, 'hostside'), join(root, 'escape'));
  await mkdir(join(tmp, 'hostside'));
  const tar = join(tmp, 'img.tar');
  const t = await execFile(
    'tar',
    ['-C', root, '--owner=0', '--group=0', '-cf', tar, 'bin', 'escape'],
    { timeoutMs: 30_000 },
  );
  assert.equal(t.code, 0, t.stderr);
  const t2 = await execFile(
    'tar',
    ['-C', root, '--owner=1234', '--group=5678', '-rf', tar, 'data'],
    { timeoutMs: 30_000 },
  );
  assert.equal(t2.code, 0, t2.stderr);
  await ok(['import', '--change', 'VOLUME /data', '--change', 'CMD ["sh"]', tar, 'volimg:1']);
}

test('docker volume create/ls/inspect/rm/prune', async () => {
  assert.equal((await ok(['volume', 'create', '--label', 'a=b', 'cli1'])).trim(), 'cli1');
  await ok(['volume', 'create', '-d', 'local', '-o', 'type=tmpfs', '-o', 'device=tmpfs', 'cli2']);
  const anon = (await ok(['volume', 'create'])).trim();
  assert.match(anon, /^[0-9a-f]{64}$/);
  const ls = await ok(['volume', 'ls', '-q', '--filter', 'label=a=b']);
  assert.equal(ls.trim(), 'cli1');
  const ins = JSON.parse(await ok(['volume', 'inspect', 'cli1', 'cli2'])) as {
    Name: string;
    Options: Record<string, string>;
  }[];
  assert.deepEqual(
    ins.map((v) => [v.Name, v.Options]),
    [
      ['cli1', {}],
      ['cli2', { type: 'tmpfs', device: 'tmpfs' }],
    ],
  );
  assert.match(await fails(['volume', 'inspect', 'nope']), /no such volume/);
  assert.match(await fails(['volume', 'create', 'bad/name']), /invalid characters/);
  // prune: anonymous only by default, then -a for named ones too.
  const p1 = await ok(['volume', 'prune', '-f']);
  assert.match(p1, new RegExp(anon));
  assert.doesNotMatch(p1, /cli1/);
  await ok(['volume', 'prune', '-af']);
  assert.equal((await ok(['volume', 'ls', '-q'])).trim(), '');
  assert.match(await fails(['volume', 'rm', 'cli1']), /no such volume/);
});

test('named volume: data persists across container recreate; in use is a conflict', async () => {
  await ok(['run', '--rm', '-v', 'pers:/data', 'busybox', 'sh', '-c', 'echo kept > /data/f']);
  assert.equal(
    await ok(['run', '--rm', '-v', 'pers:/data', 'busybox', 'cat', '/data/f']),
    'kept\n',
  );
  await ok(['create', '--name', 'holder', '-v', 'pers:/data', 'busybox', 'true']);
  assert.match(await fails(['volume', 'rm', 'pers']), /volume is in use/);
  await ok(['rm', '-v', 'holder']); // -v never removes a named volume
  assert.equal(
    await ok(['run', '--rm', '-v', 'pers:/data', 'busybox', 'cat', '/data/f']),
    'kept\n',
  );
  await ok(['volume', 'rm', 'pers']);
  // A tmpfs-backed volume is mounted while a container uses it and unmounted after.
  await ok(['volume', 'create', '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=1m', 'tv']);
  const seen = await ok([
    'run',
    '--rm',
    '-v',
    'tv:/d',
    'busybox',
    'sh',
    '-c',
    'df -k /d | tail -1',
  ]);
  assert.match(seen, /^tmpfs\s+1024\s/);
  const mp = (await ok(['volume', 'inspect', '-f', '{{.Mountpoint}}', 'tv'])).trim();
  assert.ok(!(await readFile('/proc/self/mountinfo', 'utf8')).includes(` ${mp} `));
  await ok(['volume', 'rm', 'tv']);
});

test('copy-up keeps owner, mode and symlinks; nocopy and anonymous VOLUME', async () => {
  const script = 'stat -c "%u:%g %a" /data /data/f; readlink /data/link; cat /data/f';
  const expected = '1234:5678 750\n1234:5678 640\nf\nfrom image';
  assert.equal(
    await ok(['run', '--rm', '-v', 'cu:/data', 'volimg:1', 'sh', '-c', script]),
    expected,
  );
  const mp = (await ok(['volume', 'inspect', '-f', '{{.Mountpoint}}', 'cu'])).trim();
  const st = await stat(join(mp, 'f'));
  assert.deepEqual([st.uid, st.gid, st.mode & 0o777], [1234, 5678, 0o640]);
  // A volume that is no longer empty is not filled again.
  await ok(['run', '--rm', '-v', 'cu:/data', 'volimg:1', 'sh', '-c', 'echo changed > /data/f']);
  assert.equal(
    await ok(['run', '--rm', '-v', 'cu:/data', 'volimg:1', 'cat', '/data/f']),
    'changed\n',
  );
  const nc = ['run', '--rm', '-v', 'nc:/data:nocopy', 'volimg:1', 'ls', '-A', '/data'];
  assert.equal(await ok(nc), '');
  // The image's VOLUME gets an anonymous volume per container, filled from the image.
  await ok(['run', '--name', 'anon1', 'volimg:1', 'cat', '/data/f']);
  const mounts = JSON.parse(await ok(['inspect', '-f', '{{json .Mounts}}', 'anon1'])) as {
    Type: string;
    Name: string;
    Destination: string;
    RW: boolean;
    Driver: string;
  }[];
  assert.equal(mounts.length, 1);
  const m = mounts[0];
  assert.ok(m);
  assert.deepEqual([m.Type, m.Destination, m.RW, m.Driver], ['volume', '/data', true, 'local']);
  const ins = await raw(d.socket, 'GET', '/v1.56/containers/anon1/json');
  assertMatchesSpec('GET', '/containers/{id}/json', 200, ins.json);
  await ok(['rm', '-v', 'anon1']);
  assert.match(await fails(['volume', 'inspect', m.Name]), /no such volume/);
  await ok(['volume', 'rm', 'cu', 'nc']);
  // A symlink in the image never sends a mount onto the host.
  await ok(['run', '--rm', '-v', 'esc:/escape/sub', 'volimg:1', 'touch', '/escape/sub/x']);
  await assert.rejects(stat(join(tmp, 'hostside', 'sub')), /ENOENT/);
  await ok(['volume', 'rm', 'esc']);
});

test(':ro gives EROFS, two containers share a volume, --volumes-from, --read-only', async () => {
  const ro = await fails(['run', '--rm', '-v', 'sh1:/d:ro', 'busybox', 'touch', '/d/x']);
  assert.match(ro, /Read-only file system/);
  await ok([
    'run',
    '-d',
    '--name',
    'writer',
    '-v',
    'sh1:/d',
    'busybox',
    'sh',
    '-c',
    'echo hi > /d/f; sleep 60',
  ]);
  const read = [
    'run',
    '--rm',
    '-v',
    'sh1:/d',
    'busybox',
    'sh',
    '-c',
    'while [ ! -s /d/f ]; do sleep 0.1; done; cat /d/f',
  ];
  assert.equal(await ok(read), 'hi\n');
  assert.equal(
    await ok(['run', '--rm', '--volumes-from', 'writer', 'busybox', 'cat', '/d/f']),
    'hi\n',
  );
  const vfro = await fails([
    'run',
    '--rm',
    '--volumes-from',
    'writer:ro',
    'busybox',
    'touch',
    '/d/y',
  ]);
  assert.match(vfro, /Read-only file system/);
  await ok(['rm', '-f', 'writer']);
  const rootRo = [
    'run',
    '--rm',
    '--read-only',
    '-v',
    'sh1:/d',
    'busybox',
    'sh',
    '-c',
    'touch /d/ok && ! touch /x',
  ];
  await ok(rootRo);
  await ok(['volume', 'rm', 'sh1']);
});

test('--tmpfs and --mount type=tmpfs enforce their size; mount options are validated', async () => {
  const fill = 'dd if=/dev/zero of=/t/f bs=1024 count=2048';
  assert.match(
    await fails(['run', '--rm', '--tmpfs', '/t:size=1m', 'busybox', 'sh', '-c', fill]),
    /No space left/,
  );
  const m = [
    'run',
    '--rm',
    '--mount',
    'type=tmpfs,dst=/t,tmpfs-size=1048576',
    'busybox',
    'sh',
    '-c',
    fill,
  ];
  assert.match(await fails(m), /No space left/);
  const mode = await ok([
    'run',
    '--rm',
    '--mount',
    'type=tmpfs,dst=/t,tmpfs-mode=1770',
    'busybox',
    'stat',
    '-c',
    '%a',
    '/t',
  ]);
  assert.equal(mode, '1770\n');
  assert.match(
    await fails(['run', '--rm', '--tmpfs', '/t:size=1m,bogus', 'busybox', 'true']),
    /invalid tmpfs option/,
  );
  assert.match(
    await fails(['run', '--rm', '-v', '/a:/x', '-v', 'vv:/x', 'busybox', 'true']),
    /Duplicate mount point: \/x/,
  );
  assert.match(
    await fails(['run', '--rm', '-v', 'rel/dir:/x', 'busybox', 'true']),
    /invalid characters for a local volume name/,
  );
});

test('bind mounts: both ways, -v creates a missing host dir, --mount refuses it', async () => {
  const host = join(tmp, 'bind');
  await mkdir(host);
  await writeFile(join(host, 'in'), 'from host');
  const script = 'cat /h/in; echo from container > /h/out';
  assert.equal(
    await ok(['run', '--rm', '-v', `${host}:/h`, 'busybox', 'sh', '-c', script]),
    'from host',
  );
  assert.equal(await readFile(join(host, 'out'), 'utf8'), 'from container\n');
  const ro = await fails([
    'run',
    '--rm',
    '--mount',
    `type=bind,src=${host},dst=/h,readonly`,
    'busybox',
    'touch',
    '/h/x',
  ]);
  assert.match(ro, /Read-only file system/);
  const missing = join(tmp, 'made-by-v');
  await ok(['run', '--rm', '-v', `${missing}:/m`, 'busybox', 'true']);
  assert.ok((await stat(missing)).isDirectory());
  const refused = await fails([
    'run',
    '--rm',
    '--mount',
    `type=bind,src=${join(tmp, 'nope')},dst=/m`,
    'busybox',
    'true',
  ]);
  assert.match(refused, /invalid mount config for type "bind": bind source path does not exist/);
  await ok(['create', '--name', 'bindc', '-v', `${host}:/h:ro,rshared`, 'busybox', 'true']);
  const m = JSON.parse(await ok(['inspect', '-f', '{{json .Mounts}}', 'bindc'])) as unknown[];
  assert.deepEqual(m, [
    {
      Type: 'bind',
      Source: host,
      Destination: '/h',
      Mode: 'ro,rshared',
      RW: false,
      Propagation: 'rshared',
    },
  ]);
  assert.equal(
    (await ok(['inspect', '-f', '{{json .HostConfig.Binds}}', 'bindc'])).trim(),
    JSON.stringify([`${host}:/h:ro,rshared`]),
  );
  await ok(['rm', 'bindc']);
});
