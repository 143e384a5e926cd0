import { capabilityBit } from './capabilities.js';
import type { SpecOpt } from './spec-opt.js';
import type { Capabilities, Spec } from './types.js';

/** A soft/hard pair; `Infinity` stands for "unlimited". */
export interface HostRlimit {
  soft: number;
  hard: number;
}

/** What the engine itself may grant (P1): its effective capabilities and its rlimits. */
export interface HostLimits {
  /** CapEff of the engine process as a bit mask. */
  capEff: bigint;
  /** Keyed by OCI type name, e.g. `RLIMIT_NOFILE`. Types absent here are not clamped. */
  rlimits: Map<string, HostRlimit>;
}

const SETS: readonly (keyof Capabilities)[] = [
  'bounding',
  'effective',
  'inheritable',
  'permitted',
  'ambient',
];

/**
 * Makes a spec runnable by an engine that lacks some privileges (P1; on the dev host root has no
 * CAP_SYS_RESOURCE): removes from every capability set the capabilities not in `capEff`
 * (runc fails with "unable to apply caps" otherwise), and lowers each rlimit's hard limit to the
 * host's hard limit and its soft limit to at most that (runc fails with "error setting rlimit").
 * Returns a new spec; the input is not modified.
 */
export function clampToHost(spec: Spec, host: HostLimits): Spec {
  const copy = structuredClone(spec);
  withHostLimits(host)(copy);
  return copy;
}

/** `clampToHost` as a SpecOpt; put it last so it sees every capability and rlimit. */
export function withHostLimits(host: HostLimits): SpecOpt {
  const holds = (cap: string): boolean => {
    const bit = capabilityBit(cap);
    return bit !== undefined && ((host.capEff >> BigInt(bit)) & 1n) === 1n;
  };
  return (spec) => {
    const p = spec.process;
    if (p === undefined) return;
    if (p.capabilities !== undefined) {
      for (const set of SETS) {
        const list = p.capabilities[set];
        if (list !== undefined) p.capabilities[set] = list.filter(holds);
      }
    }
    for (const r of p.rlimits ?? []) {
      const limit = host.rlimits.get(r.type);
      if (limit === undefined) continue;
      r.hard = Math.min(r.hard, limit.hard);
      r.soft = Math.min(r.soft, r.hard);
    }
  };
}

// /proc/<pid>/limits row labels → OCI rlimit types.
const LIMIT_NAMES: Readonly<Record<string, string>> = {
  'Max cpu time': 'RLIMIT_CPU',
  'Max file size': 'RLIMIT_FSIZE',
  'Max data size': 'RLIMIT_DATA',
  'Max stack size': 'RLIMIT_STACK',
  'Max core file size': 'RLIMIT_CORE',
  'Max resident set': 'RLIMIT_RSS',
  'Max processes': 'RLIMIT_NPROC',
  'Max open files': 'RLIMIT_NOFILE',
  'Max locked memory': 'RLIMIT_MEMLOCK',
  'Max address space': 'RLIMIT_AS',
  'Max file locks': 'RLIMIT_LOCKS',
  'Max pending signals': 'RLIMIT_SIGPENDING',
  'Max msgqueue size': 'RLIMIT_MSGQUEUE',
  'Max nice priority': 'RLIMIT_NICE',
  'Max realtime priority': 'RLIMIT_RTPRIO',
  'Max realtime timeout': 'RLIMIT_RTTIME',
};

/** Parses the text of `/proc/<pid>/limits`; unknown rows are ignored. */
export function parseProcLimits(text: string): Map<string, HostRlimit> {
  const out = new Map<string, HostRlimit>();
  const value = (s: string): number => (s === 'unlimited' ? Infinity : Number(s));
  for (const line of text.split('\n')) {
    const m = /^(Max [a-z ]+?)\s{2,}(\S+)\s+(\S+)/.exec(line);
    const type = m?.[1] === undefined ? undefined : LIMIT_NAMES[m[1]];
    if (m === null || type === undefined) continue;
    const soft = value(m[2] ?? '');
    const hard = value(m[3] ?? '');
    if (!Number.isNaN(soft) && !Number.isNaN(hard)) out.set(type, { soft, hard });
  }
  return out;
}

/** The CapEff mask from the text of `/proc/<pid>/status`; throws if the line is missing. */
export function parseCapEff(statusText: string): bigint {
  const m = /^CapEff:\s*([0-9a-fA-F]+)\s*$/m.exec(statusText);
  if (m?.[1] === undefined) throw new Error('no CapEff line in /proc status');
  return BigInt(`0x${m[1]}`);
}
