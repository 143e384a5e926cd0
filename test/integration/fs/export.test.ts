import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { bin, readTar } from './fs-http.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

const ok = (r: { code: number | null; stderr: string }) => assert.equal(r.code, 0, r.stderr);

test('docker export matches the container rootfs: file list, modes, a changed file', async () => {
  ok(
    await docker(d, [
      'run',
      '-d',
      '--name',
      'ex',
      'busybox',
      'sh',
      '-c',
      'rm /bin/zcat && echo changed >> /etc/group && mkdir -m 700 /newdir && ' +
        'echo x > /newdir/f && chmod 4750 /newdir/f && touch /ready && exec sleep 300',
    ]),
  );
  for (
    let i = 0;
    i < 200 && (await docker(d, ['exec', 'ex', 'test', '-e', '/ready'])).code !== 0;
    i++
  )
    await new Promise((res) => setTimeout(res, 50));
  // The container's own view: every path on its root filesystem with its permission bits.
  const find = await docker(d, [
    'exec',
    'ex',
    'sh',
    '-c',
    'find / -xdev ! -path / -exec stat -c "%n %a" {} +',
  ]);
  ok(find);
  const inside = new Map(
    find.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' ') as [string, string]),
  );
  const r = await bin(d.socket, 'GET', '/v1.56/containers/ex/export');
  assert.equal(r.status, 200);
  const entries = await readTar(r.body);
  const exported = new Map(
    entries.map((e) => [`/${e.name.replace(/\/$/, '')}`, (e.mode & 0o7777).toString(8)]),
  );
  // Mount points the container sees as other filesystems are empty directories in both views;
  // /ready and the removed file tell that this is the live rootfs.
  const below = (p: string): boolean => /^\/(dev|proc|sys)\//.test(p); // the init layer's, hidden
  assert.deepEqual(
    [...exported.keys()].filter((p) => !below(p)).sort(),
    [...inside.keys()].filter((p) => !below(p)).sort(),
  );
  for (const [path, mode] of inside) {
    if (path.startsWith('/proc') || path.startsWith('/sys') || path.startsWith('/dev')) continue;
    if (['/etc/hosts', '/etc/hostname', '/etc/resolv.conf'].includes(path)) continue;
    assert.equal(exported.get(path), mode, `mode of ${path}`);
  }
  assert.equal(exported.has('/bin/zcat'), false);
  assert.equal(exported.get('/newdir'), '700');
  assert.equal(exported.get('/newdir/f'), '4750');
  assert.match(entries.find((e) => e.name === 'etc/group')?.content ?? '', /changed\n$/);
  ok(await docker(d, ['rm', '-f', 'ex']));
});
