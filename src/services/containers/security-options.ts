/**
 * The security options of `docker run` (--privileged, --cap-add/--cap-drop, --security-opt,
 * --read-only, --group-add, --ulimit, --sysctl, --pid/--ipc/--uts): their stored form and
 * create-time validation with Docker's messages. Turning them into a spec is security-spec.ts.
 */
import { invalidParameter } from '../../errors/index.js';
import { normalizeCapability } from '../../oci/capabilities.js';
import { parseSeccompProfile, type SeccompProfile } from '../../oci/seccomp/profile.js';
import { resolveCgroupnsMode } from './cgroup-options.js';

/** One `--ulimit name=soft:hard`; -1 means unlimited. */
export interface Ulimit {
  name: string;
  soft: number;
  hard: number;
}

/** The security options as the user gave them (any field may be absent). */
export interface SecurityRequest {
  privileged?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  securityOpt?: string[];
  readonlyRootfs?: boolean;
  groupAdd?: string[];
  ulimits?: Ulimit[];
  sysctls?: Record<string, string>;
  pidMode?: string;
  ipcMode?: string;
  utsMode?: string;
  /** `--cgroupns host|private`; '' takes the host's default (see cgroup-options.ts). */
  cgroupnsMode?: string;
  /** `HostConfig.MaskedPaths`/`ReadonlyPaths`; the docker CLI sends [] for systempaths=unconfined. */
  maskedPaths?: string[];
  readonlyPaths?: string[];
  /** `--userns host`: no user namespace on a `--userns-remap` daemon; '' the daemon's default. */
  usernsMode?: string;
  /** `--oom-score-adj`: -1000…1000 (0: the default). */
  oomScoreAdj?: number;
}

/** The stored, validated options; echoed as given in inspect. */
export interface SecurityConfig {
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
  securityOpt: string[];
  readonlyRootfs: boolean;
  groupAdd: string[];
  ulimits: Ulimit[];
  sysctls: Record<string, string>;
  pidMode: string;
  ipcMode: string;
  utsMode: string;
  /** 'host' or 'private'; absent in older rows (host, the v1 default they ran with). */
  cgroupnsMode?: 'host' | 'private';
  /** null: Docker's defaults apply. */
  maskedPaths: string[] | null;
  readonlyPaths: string[] | null;
  /** 'host' or absent (the daemon's default: remapped when it runs with --userns-remap). */
  usernsMode?: 'host';
  /** The init process's oom_score_adj; absent (older rows) or 0: Docker's default 0. */
  oomScoreAdj?: number;
}

/** What a list of `--security-opt` values asks for. */
export interface ParsedSecurityOpts {
  noNewPrivileges: boolean;
  seccomp: 'default' | 'unconfined' | SeccompProfile;
  systemPathsUnconfined: boolean;
}

/** Parses `SecurityOpt` entries; anything unsupported fails as Docker's `invalid --security-opt`. */
export function parseSecurityOpts(opts: readonly string[]): ParsedSecurityOpts {
  const out: ParsedSecurityOpts = {
    noNewPrivileges: false,
    seccomp: 'default',
    systemPathsUnconfined: false,
  };
  for (const opt of opts) {
    if (opt === 'no-new-privileges') {
      out.noNewPrivileges = true;
      continue;
    }
    // Docker accepts `key=value` and the deprecated `key:value`.
    const sep = opt.includes('=') ? '=' : opt.includes(':') ? ':' : undefined;
    if (sep === undefined) throw invalidParameter(`invalid --security-opt 1: "${opt}"`);
    const at = opt.indexOf(sep);
    const key = opt.slice(0, at);
    const value = opt.slice(at + 1);
    if (key === 'no-new-privileges' && (value === 'true' || value === 'false')) {
      out.noNewPrivileges = value === 'true';
    } else if (key === 'seccomp') {
      out.seccomp = seccompOf(value);
    } else if (key === 'systempaths' && value === 'unconfined') {
      out.systemPathsUnconfined = true;
    } else {
      throw invalidParameter(`invalid --security-opt 2: "${opt}"`);
    }
  }
  return out;
}

/** `seccomp=unconfined`, `seccomp=builtin`, or a profile's JSON text (the CLI sends the content). */
function seccompOf(value: string): ParsedSecurityOpts['seccomp'] {
  if (value === 'unconfined') return 'unconfined';
  if (value === 'builtin' || value === '') return 'default';
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch (e) {
    throw invalidParameter(`Decoding seccomp profile failed: ${(e as Error).message}`);
  }
  return parseSeccompProfile(json);
}

const ULIMIT_NAMES = new Set(
  'core cpu data fsize locks memlock msgqueue nice nofile nproc rss rtprio rttime sigpending stack'.split(
    ' ',
  ),
);

/** Namespaced sysctls Docker allows; `ipc` ones need a private IPC namespace. */
const IPC_SYSCTL = /^(kernel\.(shm[a-z_]*|msg[a-z_]*|sem)|fs\.mqueue\.[a-z_]+)$/;
const NET_SYSCTL = /^net\.[A-Za-z0-9_.\-/]+$/;

/** `container:<name|id>` joins another container's namespace (checked at start). */
const JOIN = /^container:[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function checkMode(what: string, mode: string, allowed: readonly string[], join = false): void {
  if (allowed.includes(mode) || (join && JOIN.test(mode))) return;
  throw invalidParameter(`invalid ${what} mode: ${mode}`);
}

function checkPaths(what: string, paths: string[] | undefined): string[] | null {
  if (paths === undefined) return null;
  for (const p of paths) {
    if (!p.startsWith('/') || p.includes('\0')) throw invalidParameter(`invalid ${what}: ${p}`);
  }
  return [...paths];
}

/**
 * Validates the request against the container's network mode and hostname and returns what to
 * store. Throws InvalidParameter with Docker's messages.
 */
export function resolveSecurity(
  req: SecurityRequest | undefined,
  ctx: { networkMode: string; hostname: string },
): SecurityConfig {
  const r = req ?? {};
  const isAll = (c: string): boolean => c.trim().toUpperCase() === 'ALL';
  for (const c of [...(r.capAdd ?? []), ...(r.capDrop ?? [])])
    if (!isAll(c)) normalizeCapability(c);
  parseSecurityOpts(r.securityOpt ?? []);
  const pidMode = r.pidMode ?? '';
  const ipcMode = r.ipcMode || 'private';
  const utsMode = r.utsMode ?? '';
  checkMode('PID', pidMode, ['', 'host'], true);
  checkMode('IPC', ipcMode, ['private', 'shareable', 'host', 'none'], true);
  const cgroupnsMode = resolveCgroupnsMode(r.cgroupnsMode ?? '');
  checkMode('UTS', utsMode, ['', 'host']);
  checkMode('USER', r.usernsMode ?? '', ['', 'host']);
  if (utsMode === 'host' && ctx.hostname !== '') {
    throw invalidParameter('Conflicting options: hostname and the UTS mode');
  }
  for (const [key, value] of Object.entries(r.sysctls ?? {})) {
    if (value.includes('\0')) throw invalidParameter(`invalid sysctl value for '${key}'`);
    if (NET_SYSCTL.test(key)) {
      if (ctx.networkMode === 'host') {
        throw invalidParameter(`sysctl '${key}' is not allowed in host network namespace`);
      }
    } else if (IPC_SYSCTL.test(key)) {
      if (ipcMode === 'host') {
        throw invalidParameter(`sysctl '${key}' is not allowed in host IPC namespace`);
      }
      if (ipcMode.startsWith('container:')) {
        throw invalidParameter(
          `sysctl '${key}' is not allowed when joining another container's IPC namespace`,
        );
      }
    } else {
      throw invalidParameter(`sysctl '${key}' is not allowed`);
    }
  }
  for (const u of r.ulimits ?? []) {
    if (!ULIMIT_NAMES.has(u.name)) throw invalidParameter(`invalid ulimit type: ${u.name}`);
    for (const v of [u.soft, u.hard]) {
      if (!Number.isSafeInteger(v) || v < -1) {
        throw invalidParameter(`invalid ulimit value for ${u.name}: ${v}`);
      }
    }
    if (u.hard !== -1 && (u.soft === -1 || u.soft > u.hard)) {
      throw invalidParameter(
        `ulimit soft limit must be less than or equal to hard limit: ${u.soft} > ${u.hard}`,
      );
    }
  }
  for (const g of r.groupAdd ?? []) {
    if (g === '' || /[:\0\n]/.test(g)) throw invalidParameter(`invalid group: "${g}"`);
  }
  const oom = r.oomScoreAdj ?? 0;
  if (!Number.isInteger(oom) || oom < -1000 || oom > 1000) {
    throw invalidParameter(`Invalid value ${oom}, range for oom score adj is [-1000, 1000]`);
  }
  return {
    privileged: r.privileged ?? false,
    capAdd: [...(r.capAdd ?? [])],
    capDrop: [...(r.capDrop ?? [])],
    securityOpt: [...(r.securityOpt ?? [])],
    readonlyRootfs: r.readonlyRootfs ?? false,
    groupAdd: [...(r.groupAdd ?? [])],
    ulimits: (r.ulimits ?? []).map((u) => ({ name: u.name, soft: u.soft, hard: u.hard })),
    sysctls: { ...(r.sysctls ?? {}) },
    pidMode,
    ipcMode,
    utsMode,
    cgroupnsMode,
    maskedPaths: checkPaths('masked path', r.maskedPaths),
    readonlyPaths: checkPaths('read-only path', r.readonlyPaths),
    ...(r.usernsMode === 'host' ? { usernsMode: 'host' as const } : {}),
    ...(oom !== 0 ? { oomScoreAdj: oom } : {}),
  };
}
