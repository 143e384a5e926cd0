import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, readlink, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { assertMatchesSpec, assertStatusInSpec } from '../../compat/spec-check.js';
import { detectBlkioSupport } from '../../../src/services/containers/blkio.js';

/*
 * Devices, device cgroup rules, block I/O, cgroup parent and cgroup/pid/ipc namespaces through
 * the Engine API: each option is created over the API, seen from inside the container (its
 * /dev, its cgroup files, its /proc/self/ns links) and echoed by inspect.
 */

let d: TestDaemon;
const tag = randomBytes(3).toString('hex');
const relParent = `berth-iso-${tag}`;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
  // A custom parent is not the daemon's: remove what runc left of it in every hierarchy.
  for (const h of await readdir('/sys/fs/cgroup').catch(() => [] as string[])) {
    await rmdir(join('/sys/fs/cgroup', h, relParent)).catch(() => undefined);
  }
});

type Json = Record<string, unknown>;

async function create(hostConfig: Json, cmd: string[] = ['sleep', '300']) {
  const r = await raw(
    d.socket,
    'POST',
    '/v1.56/containers/create',
    JSON.stringify({ Image: 'busybox', Cmd: cmd, HostConfig: hostConfig }),
  );
  assertStatusInSpec('POST', '/containers/create', r.status);
  return r;
}

async function start(id: string) {
  const r = await raw(d.socket, 'POST', `/v1.56/containers/${id}/start`);
  assertStatusInSpec('POST', '/containers/{id}/start', r.status);
  return r;
}

/** Creates and starts a sleeping container over the API; returns its id. */
async function running(hostConfig: Json): Promise<string> {
  const c = await create(hostConfig);
  assert.equal(c.status, 201, c.text);
  const id = (c.json as { Id: string }).Id;
  const s = await start(id);
  assert.equal(s.status, 204, s.text);
  return id;
}

async function sh(id: string, script: string): Promise<{ code: number; out: string }> {
  const r = await docker(d, ['exec', id, 'sh', '-c', script]);
  return { code: r.code ?? -1, out: r.stdout + r.stderr };
}

async function inspect(id: string): Promise<Json> {
  const r = await raw(d.socket, 'GET', `/v1.56/containers/${id}/json`);
  assertMatchesSpec('GET', '/containers/{id}/json', 200, r.json);
  return (r.json as { HostConfig: Json }).HostConfig;
}

const rm = (id: string) => raw(d.socket, 'DELETE', `/v1.56/containers/${id}?force=1`);
const message = (r: { json: unknown }): string => (r.json as { message: string }).message;

test('Devices and DeviceCgroupRules: nodes, cgroup rules and inspect', async () => {
  const id = await running({
    Devices: [
      { PathOnHost: '/dev/loop2', PathInContainer: '/dev/xloop', CgroupPermissions: 'r' },
      { PathOnHost: '/dev/net', PathInContainer: '/dev/net', CgroupPermissions: 'rwm' },
    ],
    DeviceCgroupRules: ['c 42:* rm'],
  });
  const ls = await sh(id, 'ls -ln /dev/xloop /dev/net/tun');
  assert.match(ls.out, /^b.* 7, +2 .*\/dev\/xloop$/m);
  assert.match(ls.out, /^c.* 10, +200 .*\/dev\/net\/tun$/m);
  const list = await sh(id, 'cat /sys/fs/cgroup/devices/devices.list');
  assert.match(list.out, /^b 7:2 r$/m);
  assert.match(list.out, /^c 10:200 rwm$/m);
  assert.match(list.out, /^c 42:\* rm$/m);
  // r only: opening for write is refused by the devices cgroup (EPERM before the driver, so
  // the unattached loop device is never written).
  const write = await sh(id, 'echo x > /dev/xloop');
  assert.notEqual(write.code, 0);
  assert.match(write.out, /Operation not permitted/);
  const hc = await inspect(id);
  assert.deepEqual(hc.Devices, [
    { PathOnHost: '/dev/loop2', PathInContainer: '/dev/xloop', CgroupPermissions: 'r' },
    { PathOnHost: '/dev/net', PathInContainer: '/dev/net', CgroupPermissions: 'rwm' },
  ]);
  assert.deepEqual(hc.DeviceCgroupRules, ['c 42:* rm']);
  await rm(id);
});

test('bad devices and rules are refused with 400 and Docker messages', async () => {
  const cases: [Json, string | RegExp][] = [
    [
      { Devices: [{ PathOnHost: '/dev/berth-nope' }] },
      'error gathering device information while adding custom device "/dev/berth-nope": no such file or directory',
    ],
    [{ Devices: [{ PathOnHost: '/etc/hostname' }] }, /"\/etc\/hostname": not a device node$/],
    [
      { Devices: [{ PathOnHost: '/dev/null', CgroupPermissions: 'rwx' }] },
      'invalid device mode: rwx',
    ],
    [{ Devices: 'nope' }, /HostConfig\.Devices/],
    [{ DeviceCgroupRules: ['c 1:3'] }, "invalid device cgroup format 'c 1:3'"],
    [{ BlkioWeight: 5 }, 'Range of blkio weight is from 10 to 1000'],
    [{ BlkioDeviceReadBps: [{ Path: '/dev/berth-nope', Rate: 1 }] }, /no such file or directory/],
    [{ BlkioDeviceWriteIOps: [{ Path: '/dev/null', Rate: 1 }] }, /is not a block device/],
    [{ CgroupParent: '/a/../b' }, 'invalid cgroup parent: "/a/../b"'],
    [{ CgroupnsMode: 'bogus' }, /HostConfig\.CgroupnsMode/],
    [{ PidMode: 'container:' }, 'invalid PID mode: container:'],
  ];
  for (const [hc, want] of cases) {
    const r = await create(hc);
    assert.equal(r.status, 400, JSON.stringify(hc));
    if (typeof want === 'string') assert.equal(message(r), want);
    else assert.match(message(r), want);
  }
  // The daemon keeps serving.
  assert.equal((await raw(d.socket, 'GET', '/_ping')).status, 200);
});

test('block I/O: throttles reach blkio files; weight applied or discarded per host support', async () => {
  const support = detectBlkioSupport();
  const id = await running({
    BlkioWeight: 300,
    BlkioDeviceReadBps: [{ Path: '/dev/loop0', Rate: 1048576 }],
    BlkioDeviceWriteBps: [{ Path: '/dev/loop0', Rate: 2097152 }],
    BlkioDeviceReadIOps: [{ Path: '/dev/loop1', Rate: 100 }],
    BlkioDeviceWriteIOps: [{ Path: '/dev/loop1', Rate: 50 }],
  });
  const file = (f: string) => sh(id, `cat /sys/fs/cgroup/blkio/${f}`).then((r) => r.out.trim());
  assert.ok(support.throttle, 'this host has v1 blkio throttling');
  assert.equal(await file('blkio.throttle.read_bps_device'), '7:0 1048576');
  assert.equal(await file('blkio.throttle.write_bps_device'), '7:0 2097152');
  assert.equal(await file('blkio.throttle.read_iops_device'), '7:1 100');
  assert.equal(await file('blkio.throttle.write_iops_device'), '7:1 50');
  const hc = await inspect(id);
  assert.equal(hc.BlkioWeight, 300);
  assert.deepEqual(hc.BlkioDeviceReadBps, [{ Path: '/dev/loop0', Rate: 1048576 }]);
  assert.deepEqual(hc.BlkioDeviceWriteIOps, [{ Path: '/dev/loop1', Rate: 50 }]);
  const u = await raw(
    d.socket,
    'POST',
    `/v1.56/containers/${id}/update`,
    JSON.stringify({ BlkioWeight: 500 }),
  );
  assert.equal(u.status, 200, u.text);
  assertMatchesSpec('POST', '/containers/{id}/update', 200, u.json);
  const warnings = (u.json as { Warnings: string[] }).Warnings;
  if (support.weight) {
    assert.deepEqual(warnings, []);
    assert.match(await file('blkio.bfq.weight').catch(() => file('blkio.weight')), /500/);
  } else {
    // No BFQ/CFQ weight file on this host: Docker's warning, as dockerd gives it.
    assert.deepEqual(warnings, [
      'Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.',
    ]);
  }
  assert.equal((await inspect(id)).BlkioWeight, 500);
  await rm(id);
});

test('CgroupParent: a relative parent is anchored at the root; inspect echoes it', async () => {
  const id = await running({ CgroupParent: relParent, Memory: 64 * 1024 * 1024 });
  const limit = await readFile(
    `/sys/fs/cgroup/memory/${relParent}/${id}/memory.limit_in_bytes`,
    'utf8',
  );
  assert.equal(limit.trim(), String(64 * 1024 * 1024));
  const own = await sh(id, 'cat /proc/self/cgroup');
  assert.match(own.out, new RegExp(`:memory:/${relParent}/${id}$`, 'm'));
  assert.equal((await inspect(id)).CgroupParent, relParent);
  await rm(id);
});

test('CgroupnsMode: host by default on cgroup v1, private on request', async () => {
  const hostNs = await readlink('/proc/self/ns/cgroup');
  const def = await running({});
  assert.equal((await sh(def, 'readlink /proc/self/ns/cgroup')).out.trim(), hostNs);
  assert.equal((await inspect(def)).CgroupnsMode, 'host');
  const priv = await running({ CgroupnsMode: 'private' });
  assert.notEqual((await sh(priv, 'readlink /proc/self/ns/cgroup')).out.trim(), hostNs);
  // In its own cgroup namespace the container's cgroup is its root.
  assert.match((await sh(priv, 'cat /proc/self/cgroup')).out, /:memory:\/$/m);
  assert.equal((await inspect(priv)).CgroupnsMode, 'private');
  await rm(def);
  await rm(priv);
});

test('PidMode and IpcMode container:<x> join the running donor; Docker errors otherwise', async () => {
  const donor = await running({ IpcMode: 'shareable' });
  const donorPid = (
    (await raw(d.socket, 'GET', `/v1.56/containers/${donor}/json`)).json as {
      State: { Pid: number };
    }
  ).State.Pid;
  const joiner = await running({ PidMode: `container:${donor}`, IpcMode: `container:${donor}` });
  const ns = (id: string, t: string) =>
    sh(id, `readlink /proc/self/ns/${t}`).then((r) => r.out.trim());
  assert.equal(await ns(joiner, 'pid'), await readlink(`/proc/${donorPid}/ns/pid`));
  assert.equal(await ns(joiner, 'ipc'), await readlink(`/proc/${donorPid}/ns/ipc`));
  // The donor's `sleep 300` is PID 1 of the shared namespace.
  assert.match((await sh(joiner, 'cat /proc/1/cmdline | tr "\\0" " "')).out, /^sleep 300/);
  const hc = await inspect(joiner);
  assert.equal(hc.PidMode, `container:${donor}`);
  assert.equal(hc.IpcMode, `container:${donor}`);
  await rm(joiner);

  // IPC of a private donor cannot be joined.
  const priv = await running({});
  const c1 = await create({ IpcMode: `container:${priv}` });
  const s1 = await start((c1.json as { Id: string }).Id);
  // dockerd answers a start whose spec cannot be built with 500 (errdefs.System), as here.
  assert.equal(s1.status, 500, s1.text);
  assert.equal(
    message(s1),
    `can't join IPC of container ${priv}: non-shareable IPC (hint: use IpcMode:shareable for the donor container)`,
  );
  // A donor that is not running, and one that does not exist.
  await raw(d.socket, 'POST', `/v1.56/containers/${donor}/kill`);
  await raw(d.socket, 'POST', `/v1.56/containers/${donor}/wait`);
  const c2 = await create({ PidMode: `container:${donor}` });
  const s2 = await start((c2.json as { Id: string }).Id);
  assert.equal(s2.status, 500, s2.text);
  assert.equal(message(s2), `container ${donor} is not running`);
  const c3 = await create({ PidMode: 'container:berth-no-such' });
  const s3 = await start((c3.json as { Id: string }).Id);
  assert.equal(s3.status, 500, s3.text);
  assert.equal(
    message(s3),
    'cannot join PID of a non running container: berth-no-such: No such container: berth-no-such',
  );
  for (const id of [donor, priv, c1, c2, c3].map((x) =>
    typeof x === 'string' ? x : (x.json as { Id: string }).Id,
  )) {
    await rm(id);
  }
});

test('IpcMode none: a private IPC namespace without /dev/shm', async () => {
  const id = await running({ IpcMode: 'none' });
  assert.equal((await sh(id, "grep -c ' /dev/shm ' /proc/self/mounts; true")).out.trim(), '0');
  assert.notEqual(
    (await sh(id, 'readlink /proc/self/ns/ipc')).out.trim(),
    await readlink('/proc/self/ns/ipc'),
  );
  assert.equal((await inspect(id)).IpcMode, 'none');
  await rm(id);
});
