import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, readlink, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { docker, startTestDaemon, type TestDaemon } from '../helpers/test-daemon.js';

/*
 * The isolation flags through the real docker CLI: each is seen from inside the container and
 * echoed by `docker inspect --format`.
 */

let d: TestDaemon;
const parent = `/berth-isoc-${randomBytes(3).toString('hex')}`;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
  for (const h of await readdir('/sys/fs/cgroup').catch(() => [] as string[])) {
    await rmdir(join('/sys/fs/cgroup', h, parent)).catch(() => undefined);
  }
});

async function ok(args: string[]): Promise<string> {
  const r = await docker(d, args);
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

const fmt = (id: string, f: string): Promise<string> => ok(['inspect', '--format', f, id]);

test('docker run --device, --device-cgroup-rule, throttles, --cgroup-parent, --cgroupns', async () => {
  const id = await ok([
    'run',
    '-d',
    '--device',
    '/dev/loop3:/dev/disk3:r',
    '--device',
    '/dev/net/tun',
    '--device-cgroup-rule',
    'b 7:* m',
    '--device-read-bps',
    '/dev/loop0:1mb',
    '--device-write-iops',
    '/dev/loop0:40',
    '--blkio-weight',
    '200',
    '--cgroup-parent',
    parent,
    '--cgroupns',
    'private',
    'busybox',
    'sleep',
    '300',
  ]);
  const exec = (script: string) => ok(['exec', id, 'sh', '-c', script]);
  assert.match(await exec('ls -ln /dev/disk3'), /^b.* 7, +3 /);
  assert.match(await exec('ls -ln /dev/net/tun'), /^c.* 10, +200 /);
  const devices = await exec('cat /sys/fs/cgroup/devices/devices.list');
  assert.match(devices, /^b 7:3 r$/m);
  assert.match(devices, /^b 7:\* m$/m);
  assert.equal(
    await exec('cat /sys/fs/cgroup/blkio/blkio.throttle.read_bps_device'),
    '7:0 1048576',
  );
  assert.equal(await exec('cat /sys/fs/cgroup/blkio/blkio.throttle.write_iops_device'), '7:0 40');
  // A private cgroup namespace: the container sees its cgroup as the root.
  assert.notEqual(
    await exec('readlink /proc/self/ns/cgroup'),
    await readlink('/proc/self/ns/cgroup'),
  );
  assert.match(await exec('cat /proc/self/cgroup'), /:pids:\/$/m);
  const pid = await fmt(id, '{{.State.Pid}}');
  const cg = await readFile(`/proc/${pid}/cgroup`, 'utf8');
  assert.match(cg, new RegExp(`:pids:${parent}/${id}$`, 'm'));
  assert.equal(
    await fmt(id, '{{json .HostConfig.Devices}}'),
    JSON.stringify([
      { PathOnHost: '/dev/loop3', PathInContainer: '/dev/disk3', CgroupPermissions: 'r' },
      { PathOnHost: '/dev/net/tun', PathInContainer: '/dev/net/tun', CgroupPermissions: 'rwm' },
    ]),
  );
  assert.equal(await fmt(id, '{{json .HostConfig.DeviceCgroupRules}}'), '["b 7:* m"]');
  assert.equal(
    await fmt(id, '{{json .HostConfig.BlkioDeviceReadBps}}'),
    '[{"Path":"/dev/loop0","Rate":1048576}]',
  );
  assert.equal(
    await fmt(id, '{{json .HostConfig.BlkioDeviceWriteIOps}}'),
    '[{"Path":"/dev/loop0","Rate":40}]',
  );
  assert.equal(await fmt(id, '{{.HostConfig.BlkioWeight}}'), '200');
  assert.equal(await fmt(id, '{{.HostConfig.CgroupParent}}'), parent);
  assert.equal(await fmt(id, '{{.HostConfig.CgroupnsMode}}'), 'private');
  // docker update --blkio-weight: stored (and applied where the host's blkio has weights).
  await ok(['update', '--blkio-weight', '700', id]);
  assert.equal(await fmt(id, '{{.HostConfig.BlkioWeight}}'), '700');
  await ok(['rm', '-f', id]);
});

test('docker run --pid/--ipc container:<name> and --ipc none', async () => {
  await ok(['run', '-d', '--name', 'donor', '--ipc', 'shareable', 'busybox', 'sleep', '300']);
  const out = await ok([
    'run',
    '--rm',
    '--pid',
    'container:donor',
    '--ipc',
    'container:donor',
    'busybox',
    'sh',
    '-c',
    'cat /proc/1/cmdline | tr "\\0" " "; echo; readlink /proc/self/ns/ipc',
  ]);
  const donorPid = await fmt('donor', '{{.State.Pid}}');
  const [cmd, ipc] = out.split('\n');
  assert.equal(cmd?.trim(), 'sleep 300');
  assert.equal(ipc, await readlink(`/proc/${donorPid}/ns/ipc`));
  const none = await ok([
    'run',
    '--rm',
    '--ipc',
    'none',
    'busybox',
    'sh',
    '-c',
    "grep -c ' /dev/shm ' /proc/self/mounts; true",
  ]);
  assert.equal(none, '0');
  const id = await ok(['create', '--pid', 'container:donor', '--ipc', 'none', 'busybox', 'true']);
  assert.equal(await fmt(id, '{{.HostConfig.PidMode}}'), 'container:donor');
  assert.equal(await fmt(id, '{{.HostConfig.IpcMode}}'), 'none');
  await ok(['rm', id]);
  await ok(['stop', '-t', '0', 'donor']);
  const r = await docker(d, ['run', '--rm', '--pid', 'container:donor', 'busybox', 'true']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /container [0-9a-f]{64} is not running/);
  await ok(['rm', 'donor']);
});

test('docker run refuses a missing --device with the daemon message', async () => {
  const r = await docker(d, ['run', '--rm', '--device', '/dev/berth-nope', 'busybox', 'true']);
  assert.notEqual(r.code, 0);
  assert.match(
    r.stderr,
    /error gathering device information while adding custom device "\/dev\/berth-nope": no such file or directory/,
  );
});
