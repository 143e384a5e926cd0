import { invalidParameter } from '../../errors/index.js';
import { processOf, type SpecOpt } from '../spec-opt.js';
import type { ConsoleSize, Rlimit, User } from '../types.js';
import { requireAbsolutePath, requireInt, requireNoNul, UINT32_MAX } from '../validate.js';

/** What `withProcess` needs: the resolved command, environment and numeric identity. */
export interface ProcessInput {
  /** argv; must be non-empty (Docker's "No command specified"). */
  args: string[];
  /** `KEY=VALUE` entries, already merged (see `dockerEnv`). */
  env: string[];
  /** Absolute working directory inside the container. */
  cwd: string;
  user: User;
  terminal: boolean;
  consoleSize?: ConsoleSize;
}

/**
 * Sets the container process. Capabilities, rlimits and other process fields set by other
 * options are kept, so this composes in any order.
 */
export function withProcess(input: ProcessInput): SpecOpt {
  if (input.args.length === 0) throw invalidParameter('no command specified');
  input.args.forEach((a) => requireNoNul('command argument', a));
  for (const e of input.env) {
    requireNoNul('environment variable', e);
    if (e.startsWith('=') || !e.includes('=')) {
      throw invalidParameter(`invalid environment variable: ${e}`);
    }
  }
  requireAbsolutePath('working directory', input.cwd);
  requireInt('uid', input.user.uid, 0, UINT32_MAX);
  requireInt('gid', input.user.gid, 0, UINT32_MAX);
  input.user.additionalGids?.forEach((g) => requireInt('additional gid', g, 0, UINT32_MAX));
  if (input.consoleSize !== undefined) {
    requireInt('console height', input.consoleSize.height, 0, 0xffff);
    requireInt('console width', input.consoleSize.width, 0, 0xffff);
  }
  const user: User = { uid: input.user.uid, gid: input.user.gid };
  if (input.user.additionalGids !== undefined) user.additionalGids = [...input.user.additionalGids];
  if (input.user.umask !== undefined) user.umask = input.user.umask;
  return (spec) => {
    const p = processOf(spec);
    p.user = user;
    p.args = [...input.args];
    p.env = [...input.env];
    p.cwd = input.cwd;
    // runc treats an absent terminal as false; Docker omits it, so do we.
    if (input.terminal) p.terminal = true;
    else delete p.terminal;
    if (input.consoleSize !== undefined) p.consoleSize = { ...input.consoleSize };
    else delete p.consoleSize;
  };
}

const RLIMIT_TYPE = /^RLIMIT_[A-Z]+$/;

/**
 * Sets process rlimits (replacing any). `soft` must not exceed `hard`. Note P1: on hosts where
 * root lacks CAP_SYS_RESOURCE a hard limit above the host's fails; see `clampToHost`.
 */
export function withRlimits(rlimits: readonly Rlimit[]): SpecOpt {
  for (const r of rlimits) {
    if (!RLIMIT_TYPE.test(r.type)) throw invalidParameter(`invalid rlimit type: ${r.type}`);
    requireInt(`${r.type} hard limit`, r.hard, 0, Number.MAX_SAFE_INTEGER);
    requireInt(`${r.type} soft limit`, r.soft, 0, Number.MAX_SAFE_INTEGER);
    if (r.soft > r.hard) throw invalidParameter(`${r.type}: soft limit exceeds hard limit`);
  }
  const copy = rlimits.map((r) => ({ type: r.type, hard: r.hard, soft: r.soft }));
  return (spec) => {
    const p = processOf(spec);
    if (copy.length === 0) delete p.rlimits;
    else p.rlimits = copy.map((r) => ({ ...r }));
  };
}

/** Sets `no_new_privs` (Docker's --security-opt no-new-privileges); false removes the field. */
export function withNoNewPrivileges(on: boolean): SpecOpt {
  return (spec) => {
    const p = processOf(spec);
    if (on) p.noNewPrivileges = true;
    else delete p.noNewPrivileges;
  };
}
