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

async function ok(args: string[]): Promise<string> {
  const r = await berth(d, args);
  assert.equal(r.code, 0, `berth ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('berth volume verbs and berth run -v/--mount/--tmpfs/--volumes-from', async () => {
  assert.equal(await ok(['volume', 'create', '--label', 'k=v', 'bv1']), 'bv1\n');
  assert.match(await ok(['volume', 'ls']), /DRIVER\s+VOLUME NAME\nlocal\s+bv1\n/);
  assert.equal(await ok(['volume', 'ls', '-q', '--filter', 'label=k=v']), 'bv1\n');
  const [ins] = JSON.parse(await ok(['volume', 'inspect', 'bv1'])) as { Labels: unknown }[];
  assert.deepEqual(ins?.Labels, { k: 'v' });
  await ok(['run', '--rm', '-v', 'bv1:/d', 'busybox', 'sh', '-c', 'echo one > /d/f']);
  await ok(['run', '--name', 'src', '--mount', 'source=bv1,target=/m', 'busybox', 'true']);
  assert.equal(
    await ok(['run', '--rm', '--volumes-from', 'src', 'busybox', 'cat', '/m/f']),
    'one\n',
  );
  const t = await ok([
    'run',
    '--rm',
    '--tmpfs',
    '/t:size=1m',
    'busybox',
    'sh',
    '-c',
    'grep " /t " /proc/mounts',
  ]);
  assert.match(t, /tmpfs \/t tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k/);
  const rm = await berth(d, ['volume', 'rm', 'bv1']);
  assert.equal(rm.code, 1);
  assert.match(rm.stderr, /volume is in use/);
  await ok(['rm', 'src']);
  assert.equal(await ok(['volume', 'rm', 'bv1']), 'bv1\n');
  await ok(['volume', 'create']);
  assert.match(await ok(['volume', 'prune', '-a']), /Deleted Volumes:\n[0-9a-f]{64}\n/);
});
