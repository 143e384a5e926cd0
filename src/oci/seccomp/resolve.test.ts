import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CAPABILITIES } from '../capabilities.js';
import {
  referenceConfig,
  referenceProfileJson,
  referenceSeccompForShippedProfile,
  withSortedMainRule,
} from '../testing/reference.js';
import type { LinuxSeccomp } from '../types.js';
import { dockerDefaultProfile } from './default-profile.js';
import { parseSeccompProfile } from './profile.js';
import { resolveSeccomp, type SeccompContext } from './resolve.js';

const KERNEL = { major: 6, minor: 18 }; // the kernel the reference was captured on
const ctx = (extra: string[] = [], over: Partial<SeccompContext> = {}): SeccompContext => ({
  caps: [...DEFAULT_CAPABILITIES, ...extra],
  arch: 'x86_64',
  kernel: KERNEL,
  ...over,
});
const allowed = (s: LinuxSeccomp): Set<string> =>
  new Set(
    (s.syscalls ?? [])
      .filter((r) => r.action === 'SCMP_ACT_ALLOW' && r.args === undefined)
      .flatMap((r) => r.names),
  );

test('the shipped JSON is the reference profile, and the import loads it', () => {
  assert.deepEqual(dockerDefaultProfile(), parseSeccompProfile(referenceProfileJson()));
  assert.equal(dockerDefaultProfile().syscalls.length, 33);
});

test('default caps reproduce the reference filter (modulo the profile revision)', () => {
  const got = resolveSeccomp(dockerDefaultProfile(), ctx());
  assert.deepEqual(
    withSortedMainRule(got),
    withSortedMainRule(referenceSeccompForShippedProfile()),
  );
  const ref = referenceConfig().linux?.seccomp;
  assert.deepEqual(got.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  assert.deepEqual(got.architectures, ref?.architectures);
  assert.equal(got.defaultAction, ref?.defaultAction);
});

test('minKernel: the ptrace rule needs kernel 4.8', () => {
  const old = resolveSeccomp(dockerDefaultProfile(), ctx([], { kernel: { major: 4, minor: 7 } }));
  assert.ok(!allowed(old).has('ptrace'));
  const edge = resolveSeccomp(dockerDefaultProfile(), ctx([], { kernel: { major: 4, minor: 8 } }));
  assert.ok(allowed(edge).has('ptrace'));
});

test('+CAP_SYS_ADMIN allows mount, umount2, unshare, setns and unmasked clone', () => {
  const s = resolveSeccomp(dockerDefaultProfile(), ctx(['CAP_SYS_ADMIN']));
  const a = allowed(s);
  for (const n of [
    'mount',
    'umount2',
    'unshare',
    'setns',
    'clone',
    'clone3',
    'bpf',
    'sethostname',
  ]) {
    assert.ok(a.has(n), n);
  }
  // The masked clone rule and the clone3 → ENOSYS rule are excluded for CAP_SYS_ADMIN.
  assert.ok(!(s.syscalls ?? []).some((r) => r.names.includes('clone') && r.args !== undefined));
  assert.ok(!(s.syscalls ?? []).some((r) => r.names.includes('clone3') && r.errnoRet === 38));
  const base = allowed(resolveSeccomp(dockerDefaultProfile(), ctx()));
  assert.ok(!base.has('mount') && !base.has('unshare') && !base.has('setns'));
});

test('+CAP_SYS_PTRACE allows kcmp, pidfd_getfd, process_madvise', () => {
  const a = allowed(resolveSeccomp(dockerDefaultProfile(), ctx(['CAP_SYS_PTRACE'])));
  for (const n of ['kcmp', 'pidfd_getfd', 'process_madvise']) assert.ok(a.has(n), n);
  const base = allowed(resolveSeccomp(dockerDefaultProfile(), ctx()));
  assert.ok(!base.has('kcmp'));
});

test('other caps: SYS_TIME, SYS_MODULE; dropping SYS_CHROOT removes chroot', () => {
  const a = allowed(
    resolveSeccomp(dockerDefaultProfile(), ctx(['CAP_SYS_TIME', 'CAP_SYS_MODULE'])),
  );
  for (const n of ['settimeofday', 'clock_settime', 'init_module', 'delete_module']) {
    assert.ok(a.has(n), n);
  }
  const caps = DEFAULT_CAPABILITIES.filter((c) => c !== 'CAP_SYS_CHROOT');
  assert.ok(!allowed(resolveSeccomp(dockerDefaultProfile(), ctx([], { caps }))).has('chroot'));
});

test('aarch64: archMap entry and arch-conditioned rules', () => {
  const s = resolveSeccomp(dockerDefaultProfile(), ctx([], { arch: 'aarch64' }));
  assert.deepEqual(s.architectures, ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM']);
  const a = allowed(s);
  assert.ok(a.has('arm_fadvise64_64'));
  assert.ok(!a.has('arch_prctl') && !a.has('modify_ldt'));
});

test('includes need every cap, excludes fire on any cap; explicit architectures are kept', () => {
  const profile = parseSeccompProfile({
    defaultAction: 'SCMP_ACT_ERRNO',
    architectures: ['SCMP_ARCH_X86_64'],
    syscalls: [
      { name: 'a', action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_X', 'CAP_Y'] } },
      { names: ['b'], action: 'SCMP_ACT_ALLOW', excludes: { caps: ['CAP_X', 'CAP_Z'] } },
      { names: ['c'], action: 'SCMP_ACT_ALLOW', excludes: { minKernel: '5.0' } },
      { names: ['d'], action: 'SCMP_ACT_LOG', args: [], includes: { arches: ['amd64'] } },
    ],
  });
  const names = (caps: string[]): string[] =>
    (resolveSeccomp(profile, ctx([], { caps })).syscalls ?? []).flatMap((r) => r.names);
  assert.deepEqual(names(['CAP_X']), ['d']);
  assert.deepEqual(names(['CAP_X', 'CAP_Y']), ['a', 'd']);
  assert.deepEqual(names([]), ['b', 'd']);
  const s = resolveSeccomp(profile, ctx([], { caps: [], kernel: { major: 4, minor: 19 } }));
  assert.deepEqual(s.architectures, ['SCMP_ARCH_X86_64']);
  assert.deepEqual(
    s.syscalls?.map((r) => r.names[0]),
    ['b', 'c', 'd'],
  );
  assert.equal(s.syscalls?.[2]?.args, undefined); // empty args omitted
});

test('hostile profiles are rejected with InvalidParameter', () => {
  const base = { defaultAction: 'SCMP_ACT_ERRNO', syscalls: [] as unknown[] };
  const rule = (r: object): unknown => ({
    ...base,
    syscalls: [{ action: 'SCMP_ACT_ALLOW', ...r }],
  });
  const bad: unknown[] = [
    null,
    [],
    { ...base, defaultAction: 'SCMP_ACT_WHATEVER' },
    { ...base, architectures: ['SCMP_ARCH_X86_64'], archMap: [] },
    { ...base, architectures: ['x86_64'] },
    rule({ names: ['../x'] }),
    rule({ name: 'a', names: ['b'] }),
    rule({}),
    rule({ names: ['a'], args: [{ index: 6, value: 0, op: 'SCMP_CMP_EQ' }] }),
    rule({ names: ['a'], args: [{ index: 0, value: -1, op: 'SCMP_CMP_EQ' }] }),
    rule({ names: ['a'], args: [{ index: 0, value: 0, op: 'EQ' }] }),
    rule({ names: ['a'], includes: { minKernel: 'latest' } }),
    rule({ names: ['a'], errnoRet: 'EPERM' }),
  ];
  for (const p of bad) {
    assert.throws(() => parseSeccompProfile(p), { kind: 'InvalidParameter' }, JSON.stringify(p));
  }
});
