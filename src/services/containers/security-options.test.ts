import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSecurityOpts, resolveSecurity } from './security-options.js';

const ctx = { networkMode: 'default', hostname: '' };

test('parseSecurityOpts: no-new-privileges forms, seccomp and systempaths', () => {
  assert.equal(parseSecurityOpts(['no-new-privileges']).noNewPrivileges, true);
  assert.equal(parseSecurityOpts(['no-new-privileges:true']).noNewPrivileges, true);
  assert.equal(parseSecurityOpts(['no-new-privileges=false']).noNewPrivileges, false);
  assert.equal(parseSecurityOpts(['seccomp=unconfined']).seccomp, 'unconfined');
  assert.equal(parseSecurityOpts([]).seccomp, 'default');
  const p = parseSecurityOpts(['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}']).seccomp;
  assert.equal(typeof p === 'object' && p.defaultAction, 'SCMP_ACT_ALLOW');
  assert.equal(parseSecurityOpts(['systempaths=unconfined']).systemPathsUnconfined, true);
});

test('parseSecurityOpts: anything else is refused with Docker messages', () => {
  assert.throws(() => parseSecurityOpts(['foo']), /invalid --security-opt 1: "foo"/);
  assert.throws(() => parseSecurityOpts(['apparmor=x']), /invalid --security-opt 2/);
  assert.throws(() => parseSecurityOpts(['systempaths=x']), /invalid --security-opt 2/);
  assert.throws(() => parseSecurityOpts(['no-new-privileges=yes']), /invalid --security-opt 2/);
  assert.throws(() => parseSecurityOpts(['seccomp={']), /Decoding seccomp profile failed/);
  assert.throws(() => parseSecurityOpts(['seccomp=[]']), /invalid seccomp profile/);
});

test('resolveSecurity: defaults for an empty request', () => {
  const s = resolveSecurity(undefined, ctx);
  assert.equal(s.privileged, false);
  assert.equal(s.ipcMode, 'private');
  assert.deepEqual(s.capAdd, []);
  assert.equal(s.maskedPaths, null);
});

test('resolveSecurity: sysctls', () => {
  const ok = { 'net.ipv4.ip_forward': '1', 'kernel.shmmax': '1', 'kernel.sem': '1 2 3 4' };
  assert.deepEqual(resolveSecurity({ sysctls: ok }, ctx).sysctls, ok);
  assert.deepEqual(resolveSecurity({ sysctls: { 'fs.mqueue.msg_max': '5' } }, ctx).sysctls, {
    'fs.mqueue.msg_max': '5',
  });
  assert.throws(
    () => resolveSecurity({ sysctls: { 'kernel.panic': '1' } }, ctx),
    /sysctl 'kernel.panic' is not allowed$/,
  );
  assert.throws(
    () =>
      resolveSecurity({ sysctls: { 'net.core.somaxconn': '1' } }, { ...ctx, networkMode: 'host' }),
    /not allowed in host network namespace/,
  );
  assert.throws(
    () => resolveSecurity({ ipcMode: 'host', sysctls: { 'kernel.msgmax': '1' } }, ctx),
    /not allowed in host IPC namespace/,
  );
});

test('resolveSecurity: modes, caps, ulimits, groups, paths', () => {
  assert.equal(resolveSecurity({ pidMode: 'host', ipcMode: 'shareable' }, ctx).pidMode, 'host');
  assert.throws(() => resolveSecurity({ pidMode: 'x' }, ctx), /invalid PID mode: x/);
  assert.equal(resolveSecurity({ ipcMode: 'container:a' }, ctx).ipcMode, 'container:a');
  assert.equal(resolveSecurity({ pidMode: 'container:a_b' }, ctx).pidMode, 'container:a_b');
  assert.equal(resolveSecurity({ ipcMode: 'none' }, ctx).ipcMode, 'none');
  assert.throws(() => resolveSecurity({ pidMode: 'container:' }, ctx), /invalid PID mode/);
  assert.throws(() => resolveSecurity({ ipcMode: 'container:../x' }, ctx), /invalid IPC mode/);
  assert.throws(() => resolveSecurity({ cgroupnsMode: 'shared' }, ctx), /invalid cgroup namespace/);
  assert.equal(resolveSecurity({ cgroupnsMode: 'private' }, ctx).cgroupnsMode, 'private');
  assert.throws(
    () => resolveSecurity({ utsMode: 'host' }, { ...ctx, hostname: 'h' }),
    /Conflicting options: hostname and the UTS mode/,
  );
  assert.deepEqual(resolveSecurity({ capAdd: ['all', 'net_admin'] }, ctx).capAdd, [
    'all',
    'net_admin',
  ]);
  assert.throws(() => resolveSecurity({ capDrop: ['BOGUS'] }, ctx), /unknown capability/);
  assert.throws(
    () => resolveSecurity({ ulimits: [{ name: 'nofile', soft: 3, hard: 2 }] }, ctx),
    /3 > 2/,
  );
  assert.throws(
    () => resolveSecurity({ ulimits: [{ name: 'nofile', soft: 1.5, hard: 2 }] }, ctx),
    /invalid ulimit value/,
  );
  assert.equal(
    resolveSecurity({ ulimits: [{ name: 'core', soft: -1, hard: -1 }] }, ctx).ulimits.length,
    1,
  );
  assert.throws(() => resolveSecurity({ groupAdd: ['a:b'] }, ctx), /invalid group/);
  assert.throws(() => resolveSecurity({ maskedPaths: ['rel'] }, ctx), /invalid masked path/);
  assert.deepEqual(resolveSecurity({ readonlyPaths: [] }, ctx).readonlyPaths, []);
});
