import { posix } from 'node:path';
import { ports } from '../../dockerfile/changes.js';
import type { Instruction } from '../../dockerfile/instructions.js';
import { processWord, type EscapeChar } from '../../dockerfile/shell-lex.js';
import { invalidParameter } from '../../errors/index.js';
import type { RunConfig } from './types.js';

/** Where a stage stands between two steps. */
export interface StageState {
  /** The image of the last step (null: `FROM scratch` and nothing committed yet). */
  imageId: string | null;
  config: RunConfig;
  /** ARGs declared in this stage, with their values. */
  args: Map<string, string>;
  /** Whether this stage set CMD (an ENTRYPOINT then keeps it). */
  cmdSet: boolean;
  escape: EscapeChar;
}

/** The build's arguments: the values given by the client, and which of them a stage declared. */
export interface BuildArgs {
  given: Record<string, string | null>;
  /** ARGs before the first FROM, resolved. */
  meta: Map<string, string>;
  used: Set<string>;
}

export const DEFAULT_SHELL = ['/bin/sh', '-c'];

/** The variables a step expands with: the stage's ARGs, overridden by its ENV (as Docker). */
export function stepVars(s: StageState): Map<string, string> {
  const vars = new Map(s.args);
  for (const e of s.config.Env ?? []) {
    const i = e.indexOf('=');
    if (i > 0) vars.set(e.slice(0, i), e.slice(i + 1));
  }
  return vars;
}

/** The ARG values a RUN step sees in its environment (`NAME=value`), sorted for the cache key. */
export function argEnv(s: StageState): string[] {
  const env = new Set((s.config.Env ?? []).map((e) => e.split('=', 1)[0]));
  return [...s.args]
    .filter(([k]) => !env.has(k))
    .map(([k, v]) => `${k}=${v}`)
    .sort();
}

function setEnv(cfg: RunConfig, key: string, value: string): void {
  const env = [...(cfg.Env ?? [])];
  const i = env.findIndex((e) => e.split('=', 1)[0] === key);
  if (i >= 0) env[i] = `${key}=${value}`;
  else env.push(`${key}=${value}`);
  cfg.Env = env;
}

function commandOf(s: StageState, instr: { command: { form: string } & object }): string[] {
  const c = instr.command as { form: 'exec'; args: string[] } | { form: 'shell'; text: string };
  return c.form === 'exec' ? c.args : [...(s.config.Shell ?? DEFAULT_SHELL), c.text];
}

/** Resolves an ARG's value: the client's, else the meta ARG's (for a bare redeclaration), else its default. */
function argValue(
  a: { name: string; rawDefault?: string },
  s: StageState,
  args: BuildArgs,
): string | undefined {
  const given = args.given[a.name];
  if (a.name in args.given) args.used.add(a.name);
  if (typeof given === 'string') return given;
  if (a.rawDefault !== undefined) return processWord(a.rawDefault, stepVars(s), s.escape);
  return args.meta.get(a.name);
}

/**
 * Applies a metadata-only instruction (no filesystem change) to the stage: expands its words
 * with the stage's variables and edits the run configuration. Returns the text Docker records
 * in the history (`ENV A=1`). RUN, COPY, ADD and FROM are not metadata and throw.
 */
export function applyMetadata(s: StageState, instr: Instruction, args: BuildArgs): string {
  const vars = stepVars(s);
  const word = (raw: string): string => processWord(raw, vars, s.escape);
  const cfg = s.config;
  const fail = (why: string): Error => invalidParameter(`${instr.kind}: ${why}`);
  switch (instr.kind) {
    case 'ENV':
      for (const [k, v] of instr.pairs) setEnv(cfg, word(k), word(v));
      break;
    case 'LABEL':
      cfg.Labels = { ...cfg.Labels };
      for (const [k, v] of instr.pairs) cfg.Labels[word(k)] = word(v);
      break;
    case 'EXPOSE':
      cfg.ExposedPorts = { ...cfg.ExposedPorts };
      for (const w of instr.values) for (const p of ports(word(w), fail)) cfg.ExposedPorts[p] = {};
      break;
    case 'VOLUME':
      cfg.Volumes = { ...cfg.Volumes };
      for (const v of instr.values) cfg.Volumes[word(v)] = {};
      break;
    case 'USER':
      cfg.User = word(instr.value);
      break;
    case 'WORKDIR':
      cfg.WorkingDir = posix.resolve(cfg.WorkingDir || '/', word(instr.value));
      break;
    case 'STOPSIGNAL':
      cfg.StopSignal = word(instr.value);
      break;
    case 'MAINTAINER':
      break; // recorded as the image's author by the builder
    case 'CMD':
      cfg.Cmd = commandOf(s, instr);
      s.cmdSet = true;
      break;
    case 'ENTRYPOINT':
      cfg.Entrypoint = commandOf(s, instr);
      if (!s.cmdSet) cfg.Cmd = null;
      break;
    case 'SHELL':
      cfg.Shell = instr.shell;
      break;
    case 'HEALTHCHECK': {
      const h: Record<string, unknown> = { Test: instr.test };
      if (instr.intervalNs) h['Interval'] = instr.intervalNs;
      if (instr.timeoutNs) h['Timeout'] = instr.timeoutNs;
      if (instr.startPeriodNs) h['StartPeriod'] = instr.startPeriodNs;
      if (instr.startIntervalNs) h['StartInterval'] = instr.startIntervalNs;
      if (instr.retries) h['Retries'] = instr.retries;
      cfg.Healthcheck = h;
      break;
    }
    case 'ARG':
      for (const a of instr.args) {
        const v = argValue(a, s, args);
        if (v !== undefined) s.args.set(a.name, v);
        else s.args.delete(a.name);
      }
      break;
    case 'ONBUILD':
      cfg.OnBuild = [...(cfg.OnBuild ?? []), instr.trigger];
      break;
    default:
      throw new Error(`${instr.kind} is not a metadata instruction`);
  }
  return instr.original;
}
