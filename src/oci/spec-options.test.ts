import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bindMount,
  buildSpec,
  withAnnotations,
  withCgroupsPath,
  withDefaultCapabilities,
  withDefaultMounts,
  withDefaultSecurity,
  withMounts,
  withNamespaces,
  withNoNewPrivileges,
  withProcess,
  withResources,
  withRlimits,
  withRoot,
  withSeccomp,
  withSysctls,
  type ProcessInput,
} from './spec-options.js';

const proc: ProcessInput = {
  args: ['sh'],
  env: ['A=1'],
  cwd: '/',
  user: { uid: 1000, gid: 1000 },
  terminal: true,
  consoleSize: { height: 24, width: 80 },
};

test('buildSpec starts from the empty base', () => {
  assert.deepEqual(buildSpec(), { ociVersion: '1.0.2-dev' });
});

test('process-level options compose in any order', () => {
  const opts = [
    withProcess(proc),
    withDefaultCapabilities(),
    withDefaultSecurity(),
    withNoNewPrivileges(true),
  ];
  const a = buildSpec(...opts);
  const b = buildSpec(...[...opts].reverse());
  assert.deepEqual(a, b);
  assert.equal(a.process?.terminal, true);
  assert.deepEqual(a.process?.consoleSize, { height: 24, width: 80 });
  assert.equal(a.process?.capabilities?.bounding?.length, 14);
  assert.equal(a.process?.oomScoreAdj, 0);
});

test('specs built from the same options share no objects', () => {
  const opts = [withProcess(proc), withRlimits([{ type: 'RLIMIT_NOFILE', soft: 1, hard: 2 }])];
  const a = buildSpec(...opts);
  const b = buildSpec(...opts);
  a.process?.args.push('x');
  a.process?.rlimits?.forEach((r) => (r.soft = 2));
  assert.deepEqual(b.process?.args, ['sh']);
  assert.equal(b.process?.rlimits?.[0]?.soft, 1);
});

test('withMounts replaces same destinations, orders parents first, /dev drops /dev/*', () => {
  const spec = buildSpec(
    withDefaultMounts({ shmSize: 1024 }),
    withMounts([
      bindMount('/v/b', '/data/sub', { readonly: true }),
      bindMount('/v/a', '/data//'),
      bindMount('/host/shm', '/dev/shm'),
    ]),
  );
  const dests = spec.mounts?.map((m) => m.destination);
  assert.deepEqual(dests, [
    '/proc',
    '/dev',
    '/dev/pts',
    '/sys',
    '/sys/fs/cgroup',
    '/dev/mqueue',
    '/data',
    '/data/sub',
    '/dev/shm',
  ]);
  assert.deepEqual(spec.mounts?.[7]?.options, ['rbind', 'rprivate', 'ro']);
  const dev = buildSpec(withDefaultMounts({ shmSize: 1 }), withMounts([bindMount('/d', '/dev')]));
  assert.deepEqual(
    dev.mounts?.map((m) => m.destination),
    ['/proc', '/sys', '/sys/fs/cgroup', '/dev'],
  );
  assert.throws(() => withMounts([bindMount('/a', 'rel')]), { kind: 'InvalidParameter' });
  assert.throws(() => withMounts([bindMount('/a', '/x/../etc')]), { kind: 'InvalidParameter' });
  assert.throws(() => withMounts([bindMount('/a', '/')]), { kind: 'InvalidParameter' });
  assert.throws(() => withMounts([bindMount('/a', '/x'), bindMount('/b', '/x/')]), {
    kind: 'InvalidParameter',
  });
});

test('withNamespaces: defaults, host, join by path, cgroup ns', () => {
  const types = (s: ReturnType<typeof buildSpec>): unknown => s.linux?.namespaces;
  assert.deepEqual(types(buildSpec(withNamespaces())), [
    { type: 'mount' },
    { type: 'network' },
    { type: 'uts' },
    { type: 'pid' },
    { type: 'ipc' },
  ]);
  assert.deepEqual(
    types(
      buildSpec(withNamespaces({ pid: 'host', ipc: { path: '/proc/9/ns/ipc' }, cgroup: 'new' })),
    ),
    [
      { type: 'mount' },
      { type: 'network' },
      { type: 'uts' },
      { type: 'ipc', path: '/proc/9/ns/ipc' },
      { type: 'cgroup' },
    ],
  );
  assert.throws(() => withNamespaces({ network: { path: 'netns' } }), { kind: 'InvalidParameter' });
});

test('cgroups path must be absolute (P2)', () => {
  assert.equal(buildSpec(withCgroupsPath('/berth/x')).linux?.cgroupsPath, '/berth/x');
  assert.throws(() => withCgroupsPath('berth/x'), { kind: 'InvalidParameter' });
  assert.throws(() => withCgroupsPath('/berth/../x'), { kind: 'InvalidParameter' });
});

test('withResources sets limits beside the device rules', () => {
  const spec = buildSpec(
    withDefaultSecurity(),
    withResources({
      memory: { limit: 33554432, swap: 33554432 },
      pidsLimit: 10,
      cpu: { quota: 20000, period: 100000, shares: 512 },
    }),
  );
  const r = spec.linux?.resources;
  assert.equal(r?.devices?.length, 8);
  assert.deepEqual(r?.memory, { limit: 33554432, swap: 33554432 });
  assert.deepEqual(r?.pids, { limit: 10 });
  assert.deepEqual(r?.cpu, { quota: 20000, period: 100000, shares: 512 });
  assert.throws(() => withResources({ memory: { limit: -5 } }), { kind: 'InvalidParameter' });
  assert.throws(() => withResources({ cpu: { cpus: '0;1' } }), { kind: 'InvalidParameter' });
});

test('user sysctls win over the defaults whatever the order', () => {
  const s1 = buildSpec(withSysctls({ 'net.ipv4.ping_group_range': '1 1' }), withDefaultSecurity());
  const s2 = buildSpec(withDefaultSecurity(), withSysctls({ 'net.ipv4.ping_group_range': '1 1' }));
  assert.deepEqual(s1.linux?.sysctl, s2.linux?.sysctl);
  assert.equal(s1.linux?.sysctl?.['net.ipv4.ping_group_range'], '1 1');
  assert.throws(() => withSysctls({ '../x': '1' }), { kind: 'InvalidParameter' });
});

test('small options and their validation', () => {
  const spec = buildSpec(
    withRoot('/r', false),
    withAnnotations({ a: 'b' }),
    withSeccomp({ defaultAction: 'SCMP_ACT_ALLOW' }),
    withSeccomp(undefined),
    withNoNewPrivileges(false),
  );
  assert.deepEqual(spec.root, { path: '/r' });
  assert.deepEqual(spec.annotations, { a: 'b' });
  assert.equal(spec.linux?.seccomp, undefined);
  assert.equal(spec.process?.noNewPrivileges, undefined);
  assert.throws(() => withRoot('rootfs', false), { kind: 'InvalidParameter' });
  assert.throws(() => withProcess({ ...proc, cwd: 'tmp' }), { kind: 'InvalidParameter' });
  assert.throws(() => withProcess({ ...proc, env: ['NOEQUALS'] }), { kind: 'InvalidParameter' });
  assert.throws(() => withProcess({ ...proc, args: ['a\0b'] }), { kind: 'InvalidParameter' });
  assert.throws(() => withProcess({ ...proc, user: { uid: -1, gid: 0 } }), {
    kind: 'InvalidParameter',
  });
  assert.throws(() => withRlimits([{ type: 'RLIMIT_NOFILE', soft: 2, hard: 1 }]), {
    kind: 'InvalidParameter',
  });
  assert.throws(() => withRlimits([{ type: 'nofile', soft: 1, hard: 1 }]), {
    kind: 'InvalidParameter',
  });
});
