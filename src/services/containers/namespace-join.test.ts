import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Spec } from '../../oci/types.js';
import { applyNamespaceModes, joinedContainer } from './namespace-join.js';
import type { SecurityConfig } from './security-options.js';

const base = (): Spec => ({
  ociVersion: '1.0.2-dev',
  mounts: [
    { destination: '/proc', type: 'proc', source: 'proc' },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm' },
  ],
  linux: {
    namespaces: [
      { type: 'mount' },
      { type: 'network' },
      { type: 'uts' },
      { type: 'pid' },
      { type: 'ipc' },
    ],
  },
});

const sec = (over: Partial<SecurityConfig>): SecurityConfig => ({
  privileged: false,
  capAdd: [],
  capDrop: [],
  securityOpt: [],
  readonlyRootfs: false,
  groupAdd: [],
  ulimits: [],
  sysctls: {},
  pidMode: '',
  ipcMode: 'private',
  utsMode: '',
  cgroupnsMode: 'host',
  maskedPaths: null,
  readonlyPaths: null,
  ...over,
});

test('joinedContainer names the container of a container: mode', () => {
  assert.equal(joinedContainer('container:web'), 'web');
  assert.equal(joinedContainer('host'), undefined);
  assert.equal(joinedContainer(''), undefined);
});

test('joined namespaces get the donor path, in place', () => {
  const spec = applyNamespaceModes(
    base(),
    sec({ pidMode: 'container:a', ipcMode: 'container:b' }),
    { pid: '/proc/10/ns/pid', ipc: '/proc/11/ns/ipc' },
  );
  assert.deepEqual(spec.linux?.namespaces, [
    { type: 'mount' },
    { type: 'network' },
    { type: 'uts' },
    { type: 'pid', path: '/proc/10/ns/pid' },
    { type: 'ipc', path: '/proc/11/ns/ipc' },
  ]);
  // The joiner keeps its own /dev/shm (see docs/security.md).
  assert.ok(spec.mounts?.some((m) => m.destination === '/dev/shm'));
});

test('--ipc none drops /dev/shm; --cgroupns private adds a cgroup namespace; defaults change nothing', () => {
  const none = applyNamespaceModes(base(), sec({ ipcMode: 'none' }), {});
  assert.ok(!none.mounts?.some((m) => m.destination === '/dev/shm'));
  assert.ok(none.linux?.namespaces?.some((n) => n.type === 'ipc' && n.path === undefined));
  const cg = applyNamespaceModes(base(), sec({ cgroupnsMode: 'private' }), {});
  assert.deepEqual(cg.linux?.namespaces?.at(-1), { type: 'cgroup' });
  assert.deepEqual(applyNamespaceModes(base(), sec({}), {}), base());
  assert.deepEqual(applyNamespaceModes(base(), undefined, {}), base());
});

test('a joined user namespace gets the donor path', () => {
  const spec = base();
  spec.linux?.namespaces?.push({ type: 'user' });
  applyNamespaceModes(spec, sec({}), { user: '/proc/12/ns/user' });
  assert.deepEqual(spec.linux?.namespaces?.at(-1), { type: 'user', path: '/proc/12/ns/user' });
  const fresh = applyNamespaceModes(base(), sec({}), { user: '/proc/12/ns/user' });
  assert.deepEqual(fresh.linux?.namespaces?.at(-1), { type: 'user', path: '/proc/12/ns/user' });
});
