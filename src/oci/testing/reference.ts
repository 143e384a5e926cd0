import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LinuxSeccomp, LinuxSyscall, Spec } from '../types.js';

/**
 * Test support: the Docker reference captures in `<repo>/../shared/reference/`. Found by walking
 * up from this compiled file to the repo root (the package.json named "berth"), so it works from
 * any out dir.
 */
export function referencePath(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'berth'
    ) {
      return resolve(dir, '..', 'shared', 'reference', name);
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('repo root (package.json "berth") not found');
    dir = up;
  }
}

/** Docker 20.10.24's config.json for `docker run -d ceprobe/busybox:ref sleep 120`. */
export function referenceConfig(): Spec {
  return JSON.parse(readFileSync(referencePath('docker-default-config.json'), 'utf8')) as Spec;
}

/** moby's full default seccomp profile, as shipped in src/oci/seccomp/docker-default.json. */
export function referenceProfileJson(): unknown {
  return JSON.parse(readFileSync(referencePath('docker-seccomp-default.json'), 'utf8'));
}

/** Syscalls the newer profile allows outright that Docker 20.10.24's did not. */
export const ADDED_IN_NEWER_PROFILE: readonly string[] = [
  'cachestat',
  'fchmodat2',
  'futex_requeue',
  'futex_wait',
  'futex_wake',
  'getxattrat',
  'listmount',
  'listxattrat',
  'map_shadow_stack',
  'mseal',
  'name_to_handle_at',
  'pkey_alloc',
  'pkey_free',
  'pkey_mprotect',
  'removexattrat',
  'riscv_hwprobe',
  'setxattrat',
  'statmount',
  'uretprobe',
];

/** Syscalls Docker 20.10.24 allowed outright that the newer profile does not. */
export const REMOVED_IN_NEWER_PROFILE: readonly string[] = [
  'io_uring_enter', // moby stopped allowing io_uring by default (attack surface)
  'io_uring_register',
  'io_uring_setup',
  'socket', // now three arg-conditioned rules that refuse AF_VSOCK (40)
];

/**
 * The reference's `linux.seccomp` (resolved by Docker 20.10.24 from its own profile, for the 14
 * default caps on kernel 6.18, x86_64) carried forward to the newer profile we ship. The profile
 * revision differs, not the resolution rules, so the expected filter is the reference plus
 * exactly these edits:
 * 1. `defaultErrnoRet: 1` (explicit EPERM; absent means EPERM to runc too);
 * 2. the unconditional allow list gains ADDED_IN_NEWER_PROFILE and loses REMOVED_IN_NEWER_PROFILE
 *    (compare its names as a set: the order of the names is the profile's);
 * 3. the `minKernel 4.8` rule is [process_vm_readv, process_vm_writev, ptrace], not [ptrace]
 *    (20.10 allowed the first two only with CAP_SYS_PTRACE);
 * 4. right after it, `socket` allowed for domain < 38, == 39, > 40.
 */
export function referenceSeccompForShippedProfile(): LinuxSeccomp {
  const ref = referenceConfig().linux?.seccomp;
  if (ref?.syscalls === undefined) throw new Error('reference has no seccomp');
  const [main, ptrace, ...rest] = ref.syscalls;
  if (main === undefined || ptrace === undefined) throw new Error('unexpected reference shape');
  const socket = (value: number, op: string): LinuxSyscall => ({
    names: ['socket'],
    action: 'SCMP_ACT_ALLOW',
    args: [{ index: 0, value, op }],
  });
  const names = main.names
    .filter((n) => !REMOVED_IN_NEWER_PROFILE.includes(n))
    .concat(ADDED_IN_NEWER_PROFILE)
    .sort();
  return {
    ...ref,
    defaultErrnoRet: 1,
    syscalls: [
      { ...main, names },
      { ...ptrace, names: ['process_vm_readv', 'process_vm_writev', 'ptrace'] },
      socket(38, 'SCMP_CMP_LT'),
      socket(39, 'SCMP_CMP_EQ'),
      socket(40, 'SCMP_CMP_GT'),
      ...rest,
    ],
  };
}

/** A copy of `s` whose first (unconditional) rule lists its names sorted, for set comparison. */
export function withSortedMainRule(s: LinuxSeccomp): LinuxSeccomp {
  const [main, ...rest] = s.syscalls ?? [];
  if (main === undefined) return s;
  return { ...s, syscalls: [{ ...main, names: [...main.names].sort() }, ...rest] };
}
