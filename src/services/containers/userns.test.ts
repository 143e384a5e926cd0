import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dockerDefaultSpec } from '../../oci/docker-defaults.js';
import { CAPABILITY_NAMES, maskOfCapabilities } from '../../oci/capabilities.js';
import { applyUserns, checkUsernsConflicts, usernsFor, type UsernsSettings } from './userns.js';
import { resolveSecurity } from './security-options.js';

const userns: UsernsSettings = {
  uidMappings: [{ containerID: 0, hostID: 100000, size: 65536 }],
  gidMappings: [{ containerID: 0, hostID: 100000, size: 65536 }],
  rootUid: 100000,
  rootGid: 100000,
};

function spec(net: 'none-new' | { path: string }) {
  return dockerDefaultSpec({
    id: 'abc',
    rootfs: '/tmp/rootfs',
    args: ['sh'],
    env: [],
    cwd: '/',
    user: { uid: 0, gid: 0 },
    hostname: 'abc',
    tty: false,
    cgroupParent: '/berth',
    networkNamespace: net,
    mounts: [],
    shmSize: 65536,
    hostLimits: { capEff: maskOfCapabilities(CAPABILITY_NAMES), rlimits: new Map() },
    kernel: { major: 6, minor: 1 },
  });
}

test('a new netns: user namespace and mappings added, sysfs kept, no ping_group_range', () => {
  const s = spec('none-new');
  assert.equal(applyUserns(s, userns), undefined);
  assert.ok(s.linux?.namespaces?.some((n) => n.type === 'user' && n.path === undefined));
  assert.deepEqual(s.linux?.uidMappings, userns.uidMappings);
  assert.deepEqual(s.linux?.gidMappings, userns.gidMappings);
  assert.equal(s.mounts?.find((m) => m.destination === '/sys')?.type, 'sysfs');
  assert.equal(s.linux?.sysctl?.['net.ipv4.ping_group_range'], undefined);
  const cg = s.mounts?.find((m) => m.type === 'cgroup');
  assert.ok(cg && !(cg.options ?? []).includes('ro'), 'a ro cgroup remount fails in a userns');
});

test('a prepared netns: /sys is a read-only bind and net sysctls move to the host side', () => {
  const s = spec({ path: '/run/netns/x' });
  const moved = applyUserns(s, userns, { 'net.ipv4.ping_group_range': '0 1' });
  assert.equal(moved?.netnsPath, '/run/netns/x');
  assert.equal(moved?.sysctls['net.ipv4.ip_unprivileged_port_start'], '0');
  assert.ok(Object.keys(s.linux?.sysctl ?? {}).every((k) => !k.startsWith('net.')));
  const sys = s.mounts?.find((m) => m.destination === '/sys');
  assert.equal(sys?.type, 'bind');
  assert.equal(sys?.source, '/sys');
  assert.ok(sys?.options?.includes('ro'));
});

test('a new netns attached after create: real sysfs, net sysctls written later', () => {
  const s = spec('none-new');
  const later = applyUserns(s, userns, {}, '/run/berth/netns/x');
  assert.equal(later?.netnsPath, '/run/berth/netns/x');
  assert.equal(later?.sysctls['net.ipv4.ip_unprivileged_port_start'], '0');
  assert.ok(Object.keys(s.linux?.sysctl ?? {}).every((k) => !k.startsWith('net.')));
  assert.equal(s.mounts?.find((m) => m.destination === '/sys')?.type, 'sysfs');
  assert.ok(s.linux?.namespaces?.some((n) => n.type === 'network' && n.path === undefined));
});

test('a joined user namespace keeps its path and the mappings; the joined netns gets sysfs', () => {
  const s = spec({ path: '/run/berth/netns/x' });
  s.linux?.namespaces?.push({ type: 'user', path: '/proc/42/ns/user' });
  const moved = applyUserns(s, userns);
  const users = s.linux?.namespaces?.filter((n) => n.type === 'user');
  assert.deepEqual(users, [{ type: 'user', path: '/proc/42/ns/user' }]);
  // runc 1.1.5 computes the host root ids from the spec's mappings even for a joined namespace.
  assert.deepEqual(s.linux?.uidMappings, userns.uidMappings);
  assert.deepEqual(s.linux?.gidMappings, userns.gidMappings);
  assert.equal(s.mounts?.find((m) => m.destination === '/sys')?.type, 'sysfs');
  assert.equal(moved?.netnsPath, '/run/berth/netns/x');
});

test('conflicts: privileged, host network and host pid need --userns host', () => {
  const cfg = (req: Parameters<typeof resolveSecurity>[0], networkMode = 'default') => ({
    networkMode,
    security: resolveSecurity(req, { networkMode, hostname: '' }),
  });
  assert.throws(
    () => checkUsernsConflicts(cfg({ privileged: true }), userns),
    /privileged mode is incompatible with user namespaces/,
  );
  assert.throws(() => checkUsernsConflicts(cfg({}, 'host'), userns), /host's network namespace/);
  assert.throws(() => checkUsernsConflicts(cfg({ pidMode: 'host' }), userns), /host PID namespace/);
  assert.doesNotThrow(() =>
    checkUsernsConflicts(cfg({ privileged: true, usernsMode: 'host' }), userns),
  );
  assert.doesNotThrow(() => checkUsernsConflicts(cfg({ privileged: true }), undefined));
  assert.equal(usernsFor(userns, cfg({ usernsMode: 'host' })), undefined);
  assert.throws(
    () => resolveSecurity({ usernsMode: 'private' }, { networkMode: '', hostname: '' }),
    /invalid USER mode: private/,
  );
});
