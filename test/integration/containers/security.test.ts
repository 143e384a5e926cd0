import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { assertMatchesSpec, assertStatusInSpec } from '../../compat/spec-check.js';

let d: TestDaemon;
let tmp: string;
before(async () => {
  d = await startTestDaemon();
  tmp = await mkdtemp('/tmp/berth-test-sec-');
});
after(async () => {
  await d.cleanup();
  await rm(tmp, { recursive: true, force: true });
});

/** `docker run --rm <flags> busybox sh -c <script>`; asserts success and returns stdout. */
async function run(flags: string[], script: string): Promise<string> {
  const r = await docker(d, ['run', '--rm', ...flags, 'busybox', 'sh', '-c', script]);
  assert.equal(r.code, 0, `${flags.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const statusField = (out: string, field: string): string =>
  new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(out)?.[1]?.trim() ?? '';

async function create(hostConfig: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const r = await raw(
    d.socket,
    'POST',
    '/v1.56/containers/create',
    JSON.stringify({ Image: 'busybox', Cmd: ['true'], ...extra, HostConfig: hostConfig }),
  );
  assertStatusInSpec('POST', '/containers/create', r.status);
  return r;
}

test('capabilities: --cap-add SYS_ADMIN, --cap-drop ALL, default', async () => {
  const caps = (flags: string[]) =>
    run(flags, 'cat /proc/self/status').then((o) => statusField(o, 'CapEff'));
  assert.equal(await caps([]), '00000000a80425fb');
  assert.equal(await caps(['--cap-add', 'SYS_ADMIN']), '00000000a82425fb');
  assert.equal(
    await caps(['--cap-add', 'CAP_SYS_ADMIN', '--cap-drop', 'chown']),
    '00000000a82425fa',
  );
  assert.equal(await caps(['--cap-drop', 'ALL']), '0000000000000000');
});

test('--privileged runs here with every capability the host holds and no seccomp', async () => {
  const host = statusField(await readFile('/proc/self/status', 'utf8'), 'CapEff');
  const out = await run(
    ['--privileged'],
    "cat /proc/self/status; grep ' /sys ' /proc/self/mounts; grep -c ' /proc/keys ' /proc/self/mounts; true",
  );
  // Writable /sys and no masked paths, as Docker's --privileged.
  assert.match(out, / \/sys sysfs rw,/);
  assert.match(out, /\n0\n$/);
  assert.equal(statusField(out, 'CapEff'), host);
  assert.equal(statusField(out, 'Seccomp'), '0');
  const r = await create({ Privileged: true });
  assert.equal(r.status, 201, r.text);
  const id = (r.json as { Id: string }).Id;
  const ins = await raw(d.socket, 'GET', `/v1.56/containers/${id}/json`);
  assertMatchesSpec('GET', '/containers/{id}/json', 200, ins.json);
  assert.equal((ins.json as { HostConfig: { Privileged: boolean } }).HostConfig.Privileged, true);
  await raw(d.socket, 'DELETE', `/v1.56/containers/${id}?force=1`);
});

test('--security-opt no-new-privileges, seccomp=unconfined and a custom profile', async () => {
  const nnp = await run(['--security-opt', 'no-new-privileges'], 'cat /proc/self/status');
  assert.equal(statusField(nnp, 'NoNewPrivs'), '1');
  assert.equal(statusField(nnp, 'Seccomp'), '2');
  const unconf = await run(['--security-opt', 'seccomp=unconfined'], 'cat /proc/self/status');
  assert.equal(statusField(unconf, 'Seccomp'), '0');
  assert.equal(statusField(unconf, 'NoNewPrivs'), '0');
  const profile = join(tmp, 'deny-mkdir.json');
  await writeFile(
    profile,
    JSON.stringify({
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 1 }],
    }),
  );
  const r = await docker(d, [
    'run',
    '--rm',
    '--security-opt',
    `seccomp=${profile}`,
    'busybox',
    'mkdir',
    '/x',
  ]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr + r.stdout, /Operation not permitted/);
  // Masked paths are bind mounts over /proc/keys etc.; systempaths=unconfined leaves none.
  const masked = "grep -c ' /proc/keys ' /proc/self/mounts; true";
  assert.equal((await run([], masked)).trim(), '1');
  assert.equal((await run(['--security-opt', 'systempaths=unconfined'], masked)).trim(), '0');
});

test('--read-only, --group-add and --ulimit are seen inside', async () => {
  const ro = await docker(d, ['run', '--rm', '--read-only', 'busybox', 'touch', '/x']);
  assert.notEqual(ro.code, 0);
  assert.match(ro.stderr + ro.stdout, /Read-only file system/);
  const groups = await run(
    ['--group-add', '1234', '--group-add', 'audio'],
    'cat /proc/self/status',
  );
  const audio = /^audio:[^:]*:(\d+):/m.exec(await run([], 'cat /etc/group'))?.[1];
  assert.ok(audio !== undefined);
  const list = statusField(groups, 'Groups').split(/\s+/);
  assert.ok(list.includes('1234') && list.includes(audio), list.join(' '));
  assert.equal(
    await run(['--ulimit', 'nofile=1024:2048'], 'ulimit -n; ulimit -Hn'),
    '1024\n2048\n',
  );
  const bad = await docker(d, ['run', '--rm', '--group-add', 'nosuchgroup', 'busybox', 'true']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /Unable to find group nosuchgroup/);
});

test('--sysctl: namespaced ones apply, others and net.* with host network are refused', async () => {
  assert.equal(
    await run(['--sysctl', 'net.ipv4.ip_forward=1'], 'cat /proc/sys/net/ipv4/ip_forward'),
    '1\n',
  );
  assert.equal(
    await run(['--sysctl', 'kernel.shmmni=1000'], 'cat /proc/sys/kernel/shmmni'),
    '1000\n',
  );
  assert.notEqual(
    (await docker(d, ['run', '--rm', '--sysctl', 'kernel.panic=1', 'busybox'])).code,
    0,
  );
  const r = await create({ Sysctls: { 'kernel.panic': '1' } });
  assert.equal(r.status, 400);
  assert.equal((r.json as { message: string }).message, "sysctl 'kernel.panic' is not allowed");
  const h = await create({ NetworkMode: 'host', Sysctls: { 'net.ipv4.ip_forward': '1' } });
  assert.equal(h.status, 400);
  assert.match((h.json as { message: string }).message, /not allowed in host network namespace/);
});

test('--pid host, --ipc host, --uts host share the host namespaces', async () => {
  const comm = (await readFile('/proc/1/comm', 'utf8')).trim();
  assert.equal((await run(['--pid', 'host'], 'cat /proc/1/comm')).trim(), comm);
  assert.notEqual((await run([], 'cat /proc/1/comm')).trim(), comm === 'sh' ? '' : comm);
  const ipc = await readlink('/proc/self/ns/ipc');
  assert.equal((await run(['--ipc', 'host'], 'readlink /proc/self/ns/ipc')).trim(), ipc);
  assert.notEqual((await run(['--ipc', 'shareable'], 'readlink /proc/self/ns/ipc')).trim(), ipc);
  assert.equal((await run(['--uts', 'host'], 'hostname')).trim(), hostname());
});

test('invalid security options are refused with 400 and Docker messages', async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ SecurityOpt: ['label=disable'] }, /^invalid --security-opt 2: "label=disable"$/],
    [{ SecurityOpt: ['bogus'] }, /^invalid --security-opt 1: "bogus"$/],
    [{ SecurityOpt: ['no-new-privileges=maybe'] }, /^invalid --security-opt 2/],
    [{ SecurityOpt: ['seccomp={nope'] }, /^Decoding seccomp profile failed/],
    [{ SecurityOpt: ['seccomp={"defaultAction":"X"}'] }, /^invalid seccomp profile/],
    [{ CapAdd: ['NOPE'] }, /unknown capability: "NOPE"/],
    [{ PidMode: 'container:' }, /^invalid PID mode: container:$/],
    [{ IpcMode: 'weird' }, /^invalid IPC mode: weird$/],
    [{ UTSMode: 'other' }, /^invalid UTS mode: other$/],
    [{ Ulimits: [{ Name: 'nofile', Soft: 10, Hard: 5 }] }, /soft limit must be less than/],
    [{ Ulimits: [{ Name: 'bogus', Soft: 1, Hard: 1 }] }, /^invalid ulimit type: bogus$/],
  ];
  for (const [hc, message] of cases) {
    const r = await create(hc);
    assert.equal(r.status, 400, JSON.stringify(hc));
    assert.match((r.json as { message: string }).message, message);
  }
  const uts = await create({ UTSMode: 'host' }, { Hostname: 'x' });
  assert.equal(uts.status, 400);
});

test('inspect echoes the security options', async () => {
  const r = await docker(d, [
    'create',
    '--cap-add',
    'NET_ADMIN',
    '--cap-drop',
    'MKNOD',
    '--read-only',
    '--group-add',
    '10',
    '--ulimit',
    'nofile=100:200',
    '--sysctl',
    'net.ipv4.ip_forward=1',
    '--pid',
    'host',
    '--security-opt',
    'no-new-privileges',
    'busybox',
    'true',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const id = r.stdout.trim();
  const ins = await raw(d.socket, 'GET', `/v1.56/containers/${id}/json`);
  assertMatchesSpec('GET', '/containers/{id}/json', 200, ins.json);
  const hc = (ins.json as { HostConfig: Record<string, unknown> }).HostConfig;
  // Echoed as sent, as Docker does (the docker CLI sends the CAP_ form).
  assert.deepEqual(hc.CapAdd, ['CAP_NET_ADMIN']);
  assert.deepEqual(hc.CapDrop, ['CAP_MKNOD']);
  assert.equal(hc.ReadonlyRootfs, true);
  assert.deepEqual(hc.GroupAdd, ['10']);
  assert.deepEqual(hc.Ulimits, [{ Name: 'nofile', Soft: 100, Hard: 200 }]);
  assert.deepEqual(hc.Sysctls, { 'net.ipv4.ip_forward': '1' });
  assert.equal(hc.PidMode, 'host');
  assert.deepEqual(hc.SecurityOpt, ['no-new-privileges']);
  assert.equal((await docker(d, ['rm', id])).code, 0);
});
