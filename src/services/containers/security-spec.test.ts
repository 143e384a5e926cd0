import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerDefaultSpec } from '../../oci/docker-defaults.js';
import { maskOfCapabilities, CAPABILITY_NAMES } from '../../oci/capabilities.js';
import { resolveSecurity, type SecurityRequest } from './security-options.js';
import { applySecurity, securitySpecInput } from './security-spec.js';

// An engine like this host's: every capability but CAP_SYS_RESOURCE, nofile hard limit 20000.
const hostLimits = {
  capEff: maskOfCapabilities(CAPABILITY_NAMES.filter((c) => c !== 'CAP_SYS_RESOURCE')),
  rlimits: new Map([['RLIMIT_NOFILE', { soft: 1024, hard: 20000 }]]),
};

function specOf(req: SecurityRequest, networkMode = 'default') {
  const sec = resolveSecurity(req, { networkMode, hostname: '' });
  const spec = dockerDefaultSpec({
    id: 'abc',
    rootfs: '/tmp/rootfs',
    args: ['sh'],
    env: [],
    cwd: '/',
    user: { uid: 0, gid: 0 },
    hostname: 'abc',
    tty: false,
    cgroupParent: '/berth',
    networkNamespace: 'none-new',
    mounts: [],
    shmSize: 65536,
    hostLimits,
    kernel: { major: 6, minor: 1 },
    ...securitySpecInput(sec),
  });
  return applySecurity(spec, sec);
}

test('no options: Docker defaults (masked paths, seccomp, namespaces)', () => {
  const s = specOf({});
  assert.ok((s.linux?.maskedPaths ?? []).length > 0);
  assert.ok(s.linux?.seccomp !== undefined);
  assert.deepEqual(
    s.linux?.namespaces?.map((n) => n.type),
    ['mount', 'network', 'uts', 'pid', 'ipc'],
  );
  assert.equal(s.hostname, 'abc');
});

test('privileged: host-held caps, no seccomp, no masked paths, all devices, rw /sys', () => {
  const s = specOf({ privileged: true, capDrop: ['CHOWN'] });
  const caps = s.process?.capabilities?.bounding ?? [];
  assert.equal(caps.length, CAPABILITY_NAMES.length - 1);
  assert.ok(!caps.includes('CAP_SYS_RESOURCE') && caps.includes('CAP_CHOWN'));
  assert.equal(s.linux?.seccomp, undefined);
  assert.deepEqual(s.linux?.maskedPaths, []);
  assert.deepEqual(s.linux?.readonlyPaths, []);
  assert.deepEqual(s.linux?.resources?.devices, [{ allow: true, access: 'rwm' }]);
  const sys = s.mounts?.find((m) => m.destination === '/sys');
  assert.ok(sys?.options?.includes('rw') && !sys.options.includes('ro'));
});

test('caps, no-new-privileges, unconfined seccomp, read-only rootfs, sysctls', () => {
  const s = specOf({
    capAdd: ['SYS_ADMIN'],
    capDrop: ['MKNOD'],
    securityOpt: ['no-new-privileges', 'seccomp=unconfined'],
    readonlyRootfs: true,
    sysctls: { 'net.ipv4.ip_forward': '1' },
  });
  const caps = s.process?.capabilities?.effective ?? [];
  assert.ok(caps.includes('CAP_SYS_ADMIN') && !caps.includes('CAP_MKNOD'));
  assert.equal(s.process?.noNewPrivileges, true);
  assert.equal(s.linux?.seccomp, undefined);
  assert.equal(s.root?.readonly, true);
  assert.equal(s.linux?.sysctl?.['net.ipv4.ip_forward'], '1');
});

test('ulimits are clamped to the host hard limit; -1 is unlimited then clamped', () => {
  const s = specOf({
    ulimits: [
      { name: 'nofile', soft: 1024, hard: 2048 },
      { name: 'nproc', soft: -1, hard: -1 },
    ],
  });
  assert.deepEqual(s.process?.rlimits?.[0], { type: 'RLIMIT_NOFILE', soft: 1024, hard: 2048 });
  const big = specOf({ ulimits: [{ name: 'nofile', soft: 100000, hard: 100000 }] });
  assert.deepEqual(big.process?.rlimits?.[0], { type: 'RLIMIT_NOFILE', soft: 20000, hard: 20000 });
  assert.equal(s.process?.rlimits?.[1]?.hard, Number.MAX_SAFE_INTEGER);
});

test('host pid/ipc/uts drop the namespaces; host ipc binds /dev/shm; host uts sets no hostname', () => {
  const s = specOf({ pidMode: 'host', ipcMode: 'host', utsMode: 'host' });
  assert.deepEqual(
    s.linux?.namespaces?.map((n) => n.type),
    ['mount', 'network'],
  );
  assert.equal(s.hostname, undefined);
  const shm = s.mounts?.find((m) => m.destination === '/dev/shm');
  assert.equal(shm?.source, '/dev/shm');
  assert.equal(shm?.type, 'bind');
});

test('systempaths=unconfined and explicit masked paths', () => {
  assert.deepEqual(specOf({ securityOpt: ['systempaths=unconfined'] }).linux?.maskedPaths, []);
  assert.deepEqual(specOf({ maskedPaths: ['/proc/x'] }).linux?.maskedPaths, ['/proc/x']);
});

test('--oom-score-adj sets the init process score; 0 keeps Docker default, range is checked', () => {
  assert.equal(specOf({ oomScoreAdj: 500 }).process?.oomScoreAdj, 500);
  assert.equal(specOf({}).process?.oomScoreAdj, 0);
  assert.throws(() => specOf({ oomScoreAdj: -1001 }), /range for oom score adj is \[-1000, 1000\]/);
  assert.throws(() => specOf({ oomScoreAdj: 1.5 }), /Invalid value 1.5/);
});
