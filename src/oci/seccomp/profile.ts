import { invalidParameter } from '../../errors/index.js';
import type { LinuxSeccompArg } from '../types.js';

/**
 * A seccomp profile in moby's file format (`docker run --security-opt seccomp=<file>` and
 * moby's profiles/seccomp/default.json): rules may carry `includes`/`excludes` conditions that
 * `resolveSeccomp` evaluates for one container.
 */
export interface SeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  /** Explicit architectures; mutually exclusive with `archMap`. */
  architectures?: string[];
  /** Native architecture → the sub-architectures to allow with it. */
  archMap?: ArchMapEntry[];
  flags?: string[];
  listenerPath?: string;
  syscalls: ProfileSyscall[];
}

export interface ArchMapEntry {
  architecture: string;
  subArchitectures: string[];
}

/** One rule. `name` is the legacy single-name form of `names`. */
export interface ProfileSyscall {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: LinuxSeccompArg[];
  includes?: ProfileFilter;
  excludes?: ProfileFilter;
}

/** Conditions on the container: capabilities held, Go architecture names, kernel "X.Y". */
export interface ProfileFilter {
  caps?: string[];
  arches?: string[];
  minKernel?: string;
}

const ACTIONS = new Set([
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_TRAP',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_TRACE',
  'SCMP_ACT_ALLOW',
  'SCMP_ACT_LOG',
  'SCMP_ACT_NOTIFY',
]);
const OPS = new Set(['NE', 'LT', 'LE', 'EQ', 'GE', 'GT', 'MASKED_EQ'].map((o) => `SCMP_CMP_${o}`));
const ARCH = /^SCMP_ARCH_[A-Z0-9_]+$/;
const SYSCALL = /^[a-z_][a-z0-9_]*$/;
const KERNEL = /^\d+\.\d+$/;

type Obj = Record<string, unknown>;
const bad = (what: string): never => {
  throw invalidParameter(`invalid seccomp profile: ${what}`);
};
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const uint = (v: unknown, what: string): number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : bad(what);
const strings = (v: unknown, what: string, re?: RegExp): string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string' && (re === undefined || re.test(s)))
    ? [...(v as string[])]
    : bad(what);
const action = (v: unknown): string =>
  typeof v === 'string' && ACTIONS.has(v) ? v : bad(`unknown action ${String(v)}`);

/**
 * Validates untrusted profile JSON (already parsed) and returns a normalized copy: `name` folded
 * into `names`, `null`s dropped. Throws InvalidParameter naming the first problem.
 */
export function parseSeccompProfile(json: unknown): SeccompProfile {
  if (!isObj(json)) return bad('not an object');
  const out: SeccompProfile = { defaultAction: action(json.defaultAction), syscalls: [] };
  if (json.defaultErrnoRet != null)
    out.defaultErrnoRet = uint(json.defaultErrnoRet, 'defaultErrnoRet');
  if (json.architectures != null)
    out.architectures = strings(json.architectures, 'architectures', ARCH);
  if (json.archMap != null) {
    if (!Array.isArray(json.archMap)) bad('archMap');
    out.archMap = (json.archMap as unknown[]).map((a) => {
      if (!isObj(a) || typeof a.architecture !== 'string' || !ARCH.test(a.architecture)) {
        return bad('archMap entry');
      }
      const subs =
        a.subArchitectures == null ? [] : strings(a.subArchitectures, 'subArchitectures', ARCH);
      return { architecture: a.architecture, subArchitectures: subs };
    });
  }
  if (out.architectures !== undefined && out.archMap !== undefined) {
    bad("'architectures' and 'archMap' are mutually exclusive");
  }
  if (json.flags != null) out.flags = strings(json.flags, 'flags');
  if (json.listenerPath != null) {
    if (typeof json.listenerPath !== 'string') bad('listenerPath');
    out.listenerPath = json.listenerPath as string;
  }
  if (json.syscalls != null) {
    if (!Array.isArray(json.syscalls)) bad('syscalls');
    out.syscalls = (json.syscalls as unknown[]).map(parseSyscall);
  }
  return out;
}

function parseSyscall(raw: unknown): ProfileSyscall {
  if (!isObj(raw)) return bad('syscall rule');
  const hasNames = Array.isArray(raw.names) && raw.names.length > 0;
  if (raw.name != null && raw.name !== '' && hasNames) bad("both 'name' and 'names' are set");
  const names = hasNames
    ? strings(raw.names, 'names', SYSCALL)
    : strings([raw.name], `syscall name ${String(raw.name)}`, SYSCALL);
  const rule: ProfileSyscall = { names, action: action(raw.action) };
  if (raw.errnoRet != null) rule.errnoRet = uint(raw.errnoRet, 'errnoRet');
  if (raw.args != null) {
    if (!Array.isArray(raw.args)) bad('args');
    rule.args = (raw.args as unknown[]).map(parseArg);
  }
  if (raw.includes != null) rule.includes = parseFilter(raw.includes);
  if (raw.excludes != null) rule.excludes = parseFilter(raw.excludes);
  return rule;
}

function parseArg(raw: unknown): LinuxSeccompArg {
  if (!isObj(raw)) return bad('syscall arg');
  if (typeof raw.op !== 'string' || !OPS.has(raw.op)) bad(`unknown op ${String(raw.op)}`);
  const arg: LinuxSeccompArg = {
    index: uint(raw.index, 'arg index'),
    value: uint(raw.value, 'arg value'),
    op: raw.op as string,
  };
  if (arg.index > 5) bad('arg index above 5');
  if (raw.valueTwo != null && raw.valueTwo !== 0) arg.valueTwo = uint(raw.valueTwo, 'valueTwo');
  return arg;
}

function parseFilter(raw: unknown): ProfileFilter {
  if (!isObj(raw)) return bad('includes/excludes');
  const f: ProfileFilter = {};
  if (raw.caps != null) f.caps = strings(raw.caps, 'caps');
  if (raw.arches != null) f.arches = strings(raw.arches, 'arches');
  if (raw.minKernel != null && raw.minKernel !== '') {
    if (typeof raw.minKernel !== 'string' || !KERNEL.test(raw.minKernel)) bad('minKernel');
    f.minKernel = raw.minKernel as string;
  }
  return f;
}
