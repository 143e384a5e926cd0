/**
 * The security fields of `HostConfig`, both ways: create body → service request, stored config →
 * inspect. The service validates values; this only checks the wire types (hostile input).
 */
import type { HostConfig } from '../../../api/index.js';
import { invalidParameter } from '../../../errors/index.js';
import type {
  SecurityConfig,
  SecurityRequest,
  Ulimit,
} from '../../../services/containers/security-options.js';

const bad = (field: string): never => {
  throw invalidParameter(`invalid HostConfig.${field}`);
};

function strings(field: string, v: unknown): string[] | undefined {
  if (v === null || v === undefined) return undefined;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) return bad(field);
  return v as string[];
}

function str(field: string, v: unknown): string | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  return typeof v === 'string' ? v : bad(field);
}

function flag(field: string, v: unknown): boolean {
  if (v === null || v === undefined) return false;
  return typeof v === 'boolean' ? v : bad(field);
}

const nonEmpty = <T>(list: T[] | undefined): T[] | undefined =>
  list !== undefined && list.length > 0 ? list : undefined;

function ulimits(v: unknown): Ulimit[] | undefined {
  if (v === null || v === undefined) return undefined;
  if (!Array.isArray(v)) return bad('Ulimits');
  return v.map((u: unknown) => {
    const o = (typeof u === 'object' && u !== null ? u : bad('Ulimits')) as Record<string, unknown>;
    const { Name, Soft, Hard } = o;
    if (typeof Name !== 'string' || typeof Soft !== 'number' || typeof Hard !== 'number') {
      return bad('Ulimits');
    }
    return { name: Name, soft: Soft, hard: Hard };
  });
}

function sysctls(v: unknown): Record<string, string> | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) return bad('Sysctls');
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    out[k] = typeof val === 'string' ? val : bad('Sysctls');
  }
  return out;
}

/** The security part of a create body's HostConfig, or undefined when none of it is set. */
export function securityFromHostConfig(hc: HostConfig): SecurityRequest | undefined {
  const raw = hc as Record<string, unknown>;
  const req: SecurityRequest = {};
  const put = <K extends keyof SecurityRequest>(k: K, v: SecurityRequest[K] | undefined): void => {
    if (v !== undefined) req[k] = v;
  };
  // Zero values (false, [], {}) are what the docker CLI sends when nothing is asked: left out.
  if (flag('Privileged', raw.Privileged)) req.privileged = true;
  if (flag('ReadonlyRootfs', raw.ReadonlyRootfs)) req.readonlyRootfs = true;
  put('capAdd', nonEmpty(strings('CapAdd', raw.CapAdd)));
  put('capDrop', nonEmpty(strings('CapDrop', raw.CapDrop)));
  put('securityOpt', nonEmpty(strings('SecurityOpt', raw.SecurityOpt)));
  put('groupAdd', nonEmpty(strings('GroupAdd', raw.GroupAdd)));
  // An empty list here is meaningful: the CLI's `systempaths=unconfined`.
  put('maskedPaths', strings('MaskedPaths', raw.MaskedPaths));
  put('readonlyPaths', strings('ReadonlyPaths', raw.ReadonlyPaths));
  put('ulimits', nonEmpty(ulimits(raw.Ulimits)));
  const sc = sysctls(raw.Sysctls);
  if (sc !== undefined && Object.keys(sc).length > 0) req.sysctls = sc;
  put('pidMode', str('PidMode', raw.PidMode));
  put('ipcMode', str('IpcMode', raw.IpcMode));
  put('utsMode', str('UTSMode', raw.UTSMode));
  put('cgroupnsMode', str('CgroupnsMode', raw.CgroupnsMode));
  put('usernsMode', str('UsernsMode', raw.UsernsMode));
  const oom = raw.OomScoreAdj;
  if (oom !== undefined && oom !== null && oom !== 0) {
    if (typeof oom !== 'number') throw invalidParameter('invalid HostConfig.OomScoreAdj');
    req.oomScoreAdj = oom;
  }
  return Object.keys(req).length > 0 ? req : undefined;
}

const orNull = <T>(list: T[]): T[] | null => (list.length > 0 ? list : null);

/** The inspect HostConfig fields for a container's security options (Docker's shape). */
export function securityHostConfigOf(sec: SecurityConfig | undefined): Partial<HostConfig> {
  return {
    Privileged: sec?.privileged ?? false,
    ReadonlyRootfs: sec?.readonlyRootfs ?? false,
    CapAdd: orNull(sec?.capAdd ?? []),
    CapDrop: orNull(sec?.capDrop ?? []),
    SecurityOpt: orNull(sec?.securityOpt ?? []),
    GroupAdd: orNull(sec?.groupAdd ?? []),
    Ulimits: (sec?.ulimits ?? []).map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
    PidMode: sec?.pidMode ?? '',
    IpcMode: sec?.ipcMode ?? 'private',
    UTSMode: sec?.utsMode ?? '',
    CgroupnsMode: sec?.cgroupnsMode ?? 'host',
    UsernsMode: sec?.usernsMode ?? '',
    OomScoreAdj: sec?.oomScoreAdj ?? 0,
    ...(sec && Object.keys(sec.sysctls).length > 0 ? { Sysctls: sec.sysctls } : {}),
    ...(sec?.maskedPaths ? { MaskedPaths: sec.maskedPaths } : {}),
    ...(sec?.readonlyPaths ? { ReadonlyPaths: sec.readonlyPaths } : {}),
  } as Partial<HostConfig>;
}
