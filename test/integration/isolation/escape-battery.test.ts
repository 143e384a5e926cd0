import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';

/*
 * The escape battery (docs/security.md lists it with Docker's behaviour). Each attempt runs in
 * a default busybox container, where it must fail, and in a --privileged one, where the
 * documented outcome is asserted. Nothing here may harm the host even if Berth were broken:
 * writes go only to targets that are harmless or the container's own (sysrq 'h' prints help,
 * the container's own lo mtu is written with its current value, date -s sets the current
 * second); with --privileged, attempts that would touch the host (sysrq, the clock, disks,
 * /dev/mem) are replaced by checks that they would succeed (capability present, open O_RDONLY
 * without reading).
 */

let d: TestDaemon;
let plain = '';
let priv = '';
let rootDev = '';
const hostName = hostname();

before(async () => {
  d = await startTestDaemon();
  const start = async (flags: string[]): Promise<string> => {
    const r = await docker(d, ['run', '-d', ...flags, 'busybox', 'sleep', '600']);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim();
  };
  plain = await start([]);
  priv = await start(['--privileged']);
  // major:minor of the block device holding the host's root filesystem.
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  rootDev =
    info
      .split('\n')
      .find((l) => l.split(' ')[4] === '/')
      ?.split(' ')[2] ?? '';
  assert.match(rootDev, /^\d+:\d+$/);
});
after(async () => {
  await d.cleanup();
});

async function sh(id: string, script: string): Promise<{ ok: boolean; out: string }> {
  const r = await docker(d, ['exec', id, 'sh', '-c', script]);
  return { ok: r.code === 0, out: (r.stdout + r.stderr).trim() };
}

/** Asserts that `script` fails in the default container (and its output, when given). */
async function fails(script: string, why?: RegExp): Promise<void> {
  const r = await sh(plain, script);
  assert.equal(r.ok, false, `default container: "${script}" succeeded: ${r.out}`);
  if (why) assert.match(r.out, why, script);
}

/** Asserts the outcome of `script` in the privileged container. */
async function privileged(script: string, ok: boolean, why?: RegExp): Promise<string> {
  const r = await sh(priv, script);
  assert.equal(r.ok, ok, `privileged container: "${script}": ${r.out}`);
  if (why) assert.match(r.out, why, script);
  return r.out;
}

/** CapEff of the container's process 1 as a bigint. */
const capEff = async (id: string): Promise<bigint> =>
  BigInt(
    `0x${/^CapEff:\s*([0-9a-f]+)/m.exec((await sh(id, 'cat /proc/1/status')).out)?.[1] ?? '0'}`,
  );
const has = (caps: bigint, bit: number): boolean => ((caps >> BigInt(bit)) & 1n) === 1n;
const CAP_SYS_MODULE = 16;
const CAP_SYS_ADMIN = 21;
const CAP_SYS_TIME = 25;

test('write /proc/sysrq-trigger', async () => {
  // Read-only where the kernel has it; this host's kernel has no sysrq (busybox then says
  // "nonexistent directory"), so the write fails either way.
  await fails('echo h > /proc/sysrq-trigger', /Read-only file system|nonexistent/);
  // Privileged: /proc/sysrq-trigger is not remounted read-only (never written here).
  await privileged("grep -c ' /proc/sysrq-trigger ' /proc/self/mounts", false, /^0$/);
});

test('read /proc/kcore', async () => {
  // Masked (a bind of /dev/null) where it exists; this kernel has none. Either way: no bytes.
  assert.equal((await sh(plain, 'head -c 1 /proc/kcore 2>/dev/null | wc -c')).out, '0');
  assert.equal((await sh(plain, 'cat /proc/keys | wc -c')).out, '0');
  // Privileged: no masked paths (/proc/keys shows the keyring).
  await privileged("grep -c ' /proc/keys ' /proc/self/mounts", false, /^0$/);
});

test('mount a filesystem', async () => {
  await fails('mkdir -p /tmp/m && mount -t tmpfs none /tmp/m', /denied|not permitted/i);
  // Privileged: succeeds, inside the container's own mount namespace.
  await privileged('mkdir -p /tmp/m && mount -t tmpfs none /tmp/m && umount /tmp/m', true);
});

test('load a kernel module', async () => {
  await fails('printf junk > /tmp/x.ko && insmod /tmp/x.ko', /Operation not permitted/);
  await fails('modprobe dummy');
  // Privileged: the kernel gets to look at the (junk) image, i.e. permission was granted.
  const out = await privileged('printf junk > /tmp/x.ko && insmod /tmp/x.ko', false);
  assert.doesNotMatch(out, /Operation not permitted/);
  assert.ok(has(await capEff(priv), CAP_SYS_MODULE));
});

test('unshare to gain mounts', async () => {
  await fails('unshare -m true', /Operation not permitted/);
  await fails('unshare -U -m true', /Operation not permitted/);
  await privileged('unshare -m true && unshare -U -m true', true);
});

test('see or signal host processes', async () => {
  assert.ok(process.pid > 100, 'a host pid no container pid can equal');
  for (const id of [plain, priv]) {
    const ps = (await sh(id, 'ps -o comm')).out.split('\n').slice(1);
    assert.ok(
      ps.length > 0 && ps.every((c) => ['sleep', 'sh', 'ps'].includes(c.trim())),
      ps.join(),
    );
    const kill = await sh(id, `kill -0 ${process.pid}`);
    assert.equal(kill.ok, false);
    assert.match(kill.out, /No such process/);
  }
});

test('ptrace outside: host processes have no pid to attach to; setns is denied', async () => {
  await fails(`ls /proc/${process.pid}`);
  await fails('nsenter -t 1 -m -p true', /Operation not permitted/);
  // Privileged: still no host pid; nsenter into pid 1 only reaches the container's own.
  await privileged(`ls /proc/${process.pid}`, false);
});

test("change the host's hostname or time", async () => {
  await fails('hostname berth-escape', /not permitted/i);
  // busybox date reports a failed set on stderr but exits 0: the message is the outcome.
  const date = await sh(plain, 'date -s "$(date "+%Y-%m-%d %H:%M:%S")" 2>&1');
  assert.match(date.out, /can't set date: Operation not permitted/);
  assert.ok(!has(await capEff(plain), CAP_SYS_TIME) && !has(await capEff(plain), CAP_SYS_ADMIN));
  // Privileged: the hostname changes, in the container's UTS namespace only.
  assert.equal(await privileged('hostname berth-escape && hostname', true), 'berth-escape');
  assert.equal(hostname(), hostName);
  // Privileged could set the clock (never tried): CAP_SYS_TIME and no seccomp.
  assert.ok(has(await capEff(priv), CAP_SYS_TIME));
  await privileged('grep -q "^Seccomp:.*0$" /proc/1/status', true);
});

test('open /dev/sda or /dev/mem', async () => {
  await fails('test -e /dev/sda || test -e /dev/vda || test -e /dev/mem');
  await fails('exec 3< /dev/mem');
  // Berth's privileged /dev has the default nodes only (Docker copies the host's).
  await privileged('test -e /dev/mem || test -e /dev/vda', false);
});

test('raw disk and memory via mknod', async () => {
  // mknod itself works (CAP_MKNOD, and runc allows `m` for every node); the open is refused by
  // the devices cgroup. The root disk and loop0 (which host root can open) both.
  const [maj, min] = rootDev.split(':');
  await fails(`mknod /tmp/disk b ${maj} ${min} && exec 3< /tmp/disk`, /Operation not permitted/);
  await fails('mknod /tmp/loop b 7 0 && exec 3< /tmp/loop', /Operation not permitted/);
  await fails('mknod /tmp/mem c 1 1 && exec 3< /tmp/mem', /Operation not permitted/);
  // Privileged: the cgroup allows every device, so loop0 opens read-only (nothing is read).
  // This host refuses to open its root disk even to host root, so that is not tried here.
  await privileged('mknod /tmp/loop b 7 0 && exec 3< /tmp/loop', true);
  // /dev/mem passes the permission checks; this kernel has no /dev/mem driver (ENXIO).
  const mem = await sh(priv, 'mknod /tmp/mem c 1 1 && exec 3< /tmp/mem');
  assert.doesNotMatch(mem.out, /Operation not permitted/);
});

test('write /sys', async () => {
  // The container's own lo, written with its current value: harmless even if it went through.
  const write = 'v=$(cat /sys/class/net/lo/mtu) && echo "$v" > /sys/class/net/lo/mtu';
  await fails(write, /Read-only file system/);
  await privileged(write, true);
  await privileged("grep ' /sys ' /proc/self/mounts", true, /sysfs rw/);
});

test('reach the berth socket', async () => {
  for (const id of [plain, priv]) {
    const r = await sh(
      id,
      `test -e ${d.socket} || test -e /run/berth/berth.sock || test -e /var/run/docker.sock`,
    );
    assert.equal(r.ok, false);
    assert.equal((await sh(id, 'find / -xdev -type s 2>/dev/null | wc -l')).out, '0');
  }
});
