import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CAPABILITY_NAMES, maskOfCapabilities } from './capabilities.js';
import { dockerDefaultSpec, type DockerSpecInput } from './docker-defaults.js';
import type { HostLimits } from './host-limits.js';
import {
  referenceConfig,
  referenceSeccompForShippedProfile,
  withSortedMainRule,
} from './testing/reference.js';
import type { Spec } from './types.js';

/*
 * dockerDefaultSpec against Docker 20.10.24's config.json for a default `docker run`
 * (shared/reference/docker-default-config.json). The input reuses the reference's id, rootfs,
 * hostname and bind sources, so every remaining difference is deliberate:
 * - hooks: none. Docker's prestart hook `libnetwork-setkey` is libnetwork's; Berth sets the
 *   network up (CNI) before `runc start`.
 * - linux.cgroupsPath: `/berth/<id>` instead of `/docker/<id>`.
 * - linux.resources: Docker copies zero values of an empty HostConfig (memory.disableOOMKiller
 *   false, cpu.shares 0, blockIO.weight 0); runc treats them as unset, so we omit them.
 * - linux.seccomp: resolved from the newer moby profile we ship; see
 *   referenceSeccompForShippedProfile for the exact, profile-revision-only delta.
 */

const ref = referenceConfig();
const id = (ref.linux?.cgroupsPath ?? '').split('/').pop() ?? '';
const allCaps: HostLimits = {
  capEff: maskOfCapabilities(CAPABILITY_NAMES),
  rlimits: new Map([['RLIMIT_NOFILE', { soft: 20000, hard: 20000 }]]),
};

function input(overrides: Partial<DockerSpecInput> = {}): DockerSpecInput {
  return {
    id,
    rootfs: ref.root?.path ?? '',
    args: ['sleep', '120'],
    env: [],
    cwd: '',
    user: { uid: 0, gid: 0, additionalGids: [0] },
    hostname: ref.hostname ?? '',
    tty: false,
    cgroupParent: '/berth',
    networkNamespace: 'none-new',
    mounts: (ref.mounts ?? []).filter((m) => m.type === 'bind'),
    shmSize: 64 * 1024 * 1024,
    hostLimits: allCaps,
    kernel: { major: 6, minor: 18 },
    ...overrides,
  };
}

/** The reference with the deliberate differences listed above applied. */
function expected(): Spec {
  const e = structuredClone(ref);
  delete e.hooks;
  const linux = e.linux ?? {};
  linux.cgroupsPath = `/berth/${id}`;
  linux.resources = { devices: linux.resources?.devices ?? [] };
  linux.seccomp = referenceSeccompForShippedProfile();
  return e;
}

const sorted = (s: Spec): Spec => {
  const c = structuredClone(s);
  if (c.linux?.seccomp !== undefined) c.linux.seccomp = withSortedMainRule(c.linux.seccomp);
  return c;
};

test('dockerDefaultSpec matches the reference field by field', () => {
  const got = dockerDefaultSpec(input());
  const want = expected();
  assert.equal(got.ociVersion, want.ociVersion);
  assert.deepEqual(got.root, want.root);
  assert.equal(got.hostname, want.hostname);
  assert.deepEqual(got.process?.capabilities, want.process?.capabilities);
  assert.deepEqual(got.process?.env, want.process?.env);
  assert.deepEqual(got.process?.user, want.process?.user);
  assert.equal(got.process?.cwd, '/');
  assert.equal(got.process?.oomScoreAdj, 0);
  assert.deepEqual(got.mounts, want.mounts);
  assert.deepEqual(got.linux?.namespaces, want.linux?.namespaces);
  assert.deepEqual(got.linux?.maskedPaths, want.linux?.maskedPaths);
  assert.deepEqual(got.linux?.readonlyPaths, want.linux?.readonlyPaths);
  assert.deepEqual(got.linux?.resources?.devices, want.linux?.resources?.devices);
  assert.deepEqual(got.linux?.sysctl, want.linux?.sysctl);
  assert.equal(got.hooks, undefined);
  assert.equal(got.linux?.cgroupsPath, `/berth/${id}`);
  assert.deepEqual(sorted(got).linux?.seccomp, sorted(want).linux?.seccomp);
  // And nothing else differs: the whole document.
  assert.deepEqual(sorted(got), sorted(want));
});

test('env: PATH default only when the image has none, HOSTNAME, TERM with a tty', () => {
  const tty = dockerDefaultSpec(input({ tty: true, env: ['FOO=1'] }));
  assert.deepEqual(tty.process?.env, [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `HOSTNAME=${ref.hostname}`,
    'TERM=xterm',
    'FOO=1',
  ]);
  assert.equal(tty.process?.terminal, true);
  const own = dockerDefaultSpec(input({ env: ['PATH=/opt/bin', 'HOSTNAME=x'] }));
  assert.deepEqual(own.process?.env, ['PATH=/opt/bin', 'HOSTNAME=x']);
  assert.equal(own.process?.terminal, undefined);
});

test('host network: no network namespace and no net sysctls', () => {
  const spec = dockerDefaultSpec(input({ networkNamespace: 'host' }));
  assert.deepEqual(
    spec.linux?.namespaces?.map((n) => n.type),
    ['mount', 'uts', 'pid', 'ipc'],
  );
  assert.equal(spec.linux?.sysctl, undefined);
});

test('a prepared netns is joined by path', () => {
  const spec = dockerDefaultSpec(input({ networkNamespace: { path: '/run/netns/berth-x' } }));
  assert.deepEqual(spec.linux?.namespaces?.[1], { type: 'network', path: '/run/netns/berth-x' });
});

test('cap-add SYS_ADMIN widens caps and the seccomp filter together', () => {
  const spec = dockerDefaultSpec(input({ capAdd: ['sys_admin'], capDrop: ['NET_RAW'] }));
  const caps = spec.process?.capabilities?.bounding ?? [];
  assert.ok(caps.includes('CAP_SYS_ADMIN'));
  assert.ok(!caps.includes('CAP_NET_RAW'));
  const allowed = (spec.linux?.seccomp?.syscalls ?? []).flatMap((s) => s.names);
  assert.ok(allowed.includes('mount') && allowed.includes('unshare'));
});

test('caps the host lacks are dropped before seccomp is resolved', () => {
  const noSysAdmin: HostLimits = {
    capEff: maskOfCapabilities(CAPABILITY_NAMES.filter((c) => c !== 'CAP_SYS_ADMIN')),
    rlimits: new Map(),
  };
  const spec = dockerDefaultSpec(input({ capAdd: ['SYS_ADMIN'], hostLimits: noSysAdmin }));
  assert.ok(!(spec.process?.capabilities?.effective ?? []).includes('CAP_SYS_ADMIN'));
  const allowed = (spec.linux?.seccomp?.syscalls ?? []).flatMap((s) => s.names);
  assert.ok(!allowed.includes('mount'));
});

test('options: unconfined seccomp, read-only root, resources, rlimits clamped', () => {
  const spec = dockerDefaultSpec(
    input({
      seccomp: 'unconfined',
      readonlyRootfs: true,
      resources: { memory: { limit: 33554432 }, pidsLimit: 10 },
      rlimits: [{ type: 'RLIMIT_NOFILE', soft: 1048576, hard: 1048576 }],
      noNewPrivileges: true,
    }),
  );
  assert.equal(spec.linux?.seccomp, undefined);
  assert.equal(spec.root?.readonly, true);
  assert.deepEqual(spec.linux?.resources?.memory, { limit: 33554432 });
  assert.deepEqual(spec.linux?.resources?.pids, { limit: 10 });
  assert.deepEqual(spec.process?.rlimits, [{ type: 'RLIMIT_NOFILE', soft: 20000, hard: 20000 }]);
  assert.equal(spec.process?.noNewPrivileges, true);
});

test('hostile input is rejected', () => {
  assert.throws(() => dockerDefaultSpec(input({ id: '../../etc' })), { kind: 'InvalidParameter' });
  assert.throws(() => dockerDefaultSpec(input({ cgroupParent: 'berth' })), {
    kind: 'InvalidParameter',
  });
  assert.throws(() => dockerDefaultSpec(input({ args: [] })), { kind: 'InvalidParameter' });
  assert.throws(() => dockerDefaultSpec(input({ hostname: 'a b' })), { kind: 'InvalidParameter' });
  assert.throws(() => dockerDefaultSpec(input({ capAdd: ['CAP_BOGUS'] })), {
    kind: 'InvalidParameter',
  });
});

/*
 * Review of every security-relevant area of the reference, one assertion each, so a drift names
 * the area (the whole-document comparison above catches it too, less readably):
 * - devices: the same 8 cgroup rules in Docker's order, no `linux.devices` nodes (runc creates
 *   the default /dev nodes itself, for both);
 * - namespaces: mount, network, uts, pid, ipc; no cgroup (v1 default, `--cgroupns host`) and no
 *   user namespace (userns-remap is a daemon option);
 * - masked and read-only paths; capabilities (bounding = effective = permitted, no inheritable
 *   or ambient); no rlimits; no noNewPrivileges; oomScoreAdj 0;
 * - seccomp: default action, architectures, clone3 → ENOSYS.
 * Deliberate differences (also listed at the top): no hooks, cgroupsPath, zero resources left
 * out. And with --privileged Docker copies every host device node into /dev, Berth does not
 * (a privileged process can mknod what it needs; see docs/security.md).
 */
test('each security area equals the reference', () => {
  const got = dockerDefaultSpec(input());
  const linux = got.linux ?? {};
  const refLinux = ref.linux ?? {};
  assert.deepEqual(linux.resources?.devices, refLinux.resources?.devices);
  assert.equal(linux.resources?.devices?.length, 8);
  assert.equal(linux.devices, refLinux.devices);
  assert.deepEqual(
    linux.namespaces?.map((n) => n.type),
    ['mount', 'network', 'uts', 'pid', 'ipc'],
  );
  assert.deepEqual(linux.maskedPaths, refLinux.maskedPaths);
  assert.deepEqual(linux.readonlyPaths, refLinux.readonlyPaths);
  const caps = got.process?.capabilities;
  assert.deepEqual(caps?.bounding, ref.process?.capabilities?.bounding);
  assert.deepEqual(caps?.effective, caps?.bounding);
  assert.deepEqual(caps?.permitted, caps?.bounding);
  assert.equal(caps?.inheritable, undefined);
  assert.equal(caps?.ambient, undefined);
  assert.equal(got.process?.rlimits, ref.process?.rlimits);
  assert.equal(got.process?.noNewPrivileges, ref.process?.noNewPrivileges);
  assert.equal(got.process?.oomScoreAdj, ref.process?.oomScoreAdj);
  assert.equal(linux.seccomp?.defaultAction, refLinux.seccomp?.defaultAction);
  assert.deepEqual(linux.seccomp?.architectures, refLinux.seccomp?.architectures);
  const clone3 = linux.seccomp?.syscalls?.find((s) => s.names.includes('clone3'));
  assert.equal(clone3?.action, 'SCMP_ACT_ERRNO');
  assert.equal(clone3?.errnoRet, 38);
  // Nothing Docker leaves to runc's defaults is set by us either.
  assert.equal(linux.resources?.blockIO, undefined);
  assert.equal(linux.rootfsPropagation, refLinux.rootfsPropagation);
});
