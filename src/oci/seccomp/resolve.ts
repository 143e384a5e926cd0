import { invalidParameter } from '../../errors/index.js';
import type { LinuxSeccomp, LinuxSyscall } from '../types.js';
import type { ProfileFilter, ProfileSyscall, SeccompProfile } from './profile.js';

/** Host architectures Berth knows how to resolve profiles for. */
export type SeccompArch = 'x86_64' | 'aarch64';

/** What a profile's conditions are evaluated against. */
export interface SeccompContext {
  /** The container's (bounding) capabilities, `CAP_*` names. */
  caps: readonly string[];
  arch: SeccompArch;
  /** The host kernel, e.g. 6.18 → {major: 6, minor: 18}. */
  kernel: { major: number; minor: number };
}

// Profile `arches` use Go's names (runtime.GOARCH); archMap is keyed by libseccomp's.
const ARCH_NAMES: Record<SeccompArch, { go: string; native: string }> = {
  x86_64: { go: 'amd64', native: 'SCMP_ARCH_X86_64' },
  aarch64: { go: 'arm64', native: 'SCMP_ARCH_AARCH64' },
};

/**
 * Turns a profile into the filter runc applies for one container, with moby's semantics:
 * - a rule is dropped if `excludes` matches: the arch is listed, **any** listed cap is held,
 *   or the kernel is at least `minKernel`;
 * - a rule is kept only if `includes` matches: the arch is listed, **all** listed caps are
 *   held, and the kernel is at least `minKernel`;
 * - architectures are the profile's explicit list, or the archMap entry of the host's native
 *   architecture followed by its sub-architectures.
 * Rule order is preserved; empty `args` are omitted.
 */
export function resolveSeccomp(profile: SeccompProfile, ctx: SeccompContext): LinuxSeccomp {
  const arch = ARCH_NAMES[ctx.arch];
  if (arch === undefined) throw invalidParameter(`unsupported seccomp architecture: ${ctx.arch}`);
  const out: LinuxSeccomp = { defaultAction: profile.defaultAction };
  if (profile.defaultErrnoRet !== undefined) out.defaultErrnoRet = profile.defaultErrnoRet;
  const architectures = profile.architectures ?? archesFromMap(profile, arch.native);
  if (architectures.length > 0) out.architectures = architectures;
  if (profile.flags !== undefined && profile.flags.length > 0) out.flags = [...profile.flags];
  if (profile.listenerPath !== undefined) out.listenerPath = profile.listenerPath;
  const held = new Set(ctx.caps);
  const applies = (rule: ProfileSyscall): boolean =>
    !matchesExclude(rule.excludes, held, arch.go, ctx.kernel) &&
    matchesInclude(rule.includes, held, arch.go, ctx.kernel);
  out.syscalls = profile.syscalls.filter(applies).map(toLinuxSyscall);
  return out;
}

function archesFromMap(profile: SeccompProfile, native: string): string[] {
  const entry = profile.archMap?.find((a) => a.architecture === native);
  return entry === undefined ? [] : [entry.architecture, ...entry.subArchitectures];
}

type Kernel = SeccompContext['kernel'];

function kernelAtLeast(k: Kernel, min: string): boolean {
  const [major = 0, minor = 0] = min.split('.').map(Number);
  return k.major > major || (k.major === major && k.minor >= minor);
}

function matchesExclude(
  f: ProfileFilter | undefined,
  caps: Set<string>,
  arch: string,
  k: Kernel,
): boolean {
  if (f === undefined) return false;
  if (f.arches?.includes(arch) === true) return true;
  if (f.caps?.some((c) => caps.has(c)) === true) return true;
  return f.minKernel !== undefined && kernelAtLeast(k, f.minKernel);
}

function matchesInclude(
  f: ProfileFilter | undefined,
  caps: Set<string>,
  arch: string,
  k: Kernel,
): boolean {
  if (f === undefined) return true;
  if (f.arches !== undefined && f.arches.length > 0 && !f.arches.includes(arch)) return false;
  if (f.caps?.every((c) => caps.has(c)) === false) return false;
  return f.minKernel === undefined || kernelAtLeast(k, f.minKernel);
}

function toLinuxSyscall(rule: ProfileSyscall): LinuxSyscall {
  const s: LinuxSyscall = { names: [...rule.names], action: rule.action };
  if (rule.errnoRet !== undefined) s.errnoRet = rule.errnoRet;
  if (rule.args !== undefined && rule.args.length > 0) s.args = rule.args.map((a) => ({ ...a }));
  return s;
}
