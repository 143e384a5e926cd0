import { parseGoDuration } from '../lib/go-duration.js';
import type { CommandForm, HealthcheckInstruction, Instruction } from './instructions.js';
import { parseError, type LogicalLine } from './logical-lines.js';
import { rawWords, type EscapeChar } from './shell-lex.js';

type Flags = Map<string, string | true>;

/** Which `--flags` each instruction takes (true: boolean flag). Others are Docker's errors. */
const allowedFlags: Record<string, Record<string, boolean>> = {
  FROM: { platform: false },
  COPY: { from: false, chown: false, chmod: false, link: true },
  ADD: { chown: false, chmod: false, checksum: false, link: true },
  HEALTHCHECK: {
    interval: false,
    timeout: false,
    'start-period': false,
    'start-interval': false,
    retries: false,
  },
  RUN: {},
};
const buildkitOnlyRunFlags = new Set(['mount', 'network', 'security']);

/** A JSON array of strings, or null when `text` is not one (then it is shell form). */
function jsonStrings(text: string): string[] | null {
  if (!text.startsWith('[') || !text.endsWith(']')) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : null;
  } catch {
    return null;
  }
}

function commandForm(text: string): CommandForm {
  const args = jsonStrings(text);
  return args !== null ? { form: 'exec', args } : { form: 'shell', text };
}

/** Takes the leading `--name[=value]` words off `text`. */
function takeFlags(kw: string, text: string, line: number): { flags: Flags; rest: string } {
  const flags: Flags = new Map();
  let rest = text;
  for (;;) {
    const m = /^--([a-z][a-z-]*)(?:=(\S*))?(?:\s+|$)/.exec(rest);
    if (!m) break;
    const [word, name = '', value] = m;
    const allowed = allowedFlags[kw] ?? {};
    if (kw === 'RUN' && buildkitOnlyRunFlags.has(name)) {
      throw parseError(line, `the --${name} option requires BuildKit`);
    }
    if (!(name in allowed)) throw parseError(line, `unknown flag: --${name}`);
    if (allowed[name] === false && value === undefined) {
      throw parseError(line, `missing a value on flag: --${name}`);
    }
    flags.set(name, value ?? true);
    rest = rest.slice(word.length);
  }
  return { flags, rest: rest.trim() };
}

function flagString(flags: Flags, name: string): string | undefined {
  const v = flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

function keyValues(kw: string, text: string, escape: EscapeChar, line: number): [string, string][] {
  const words = rawWords(text, escape);
  if (words.length === 0) throw parseError(line, `${kw} requires at least one argument`);
  if (!(words[0] as string).includes('=')) {
    // The legacy `ENV name value with spaces` form: one pair, the rest of the line is the value.
    const m = /^(\S+)\s+([\s\S]+)$/.exec(text);
    if (!m) throw parseError(line, `${kw} must have two arguments`);
    return [[m[1] as string, (m[2] as string).trim()]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) {
      throw parseError(
        line,
        `Syntax error - can't find = in "${w}". Must be of the form: name=value`,
      );
    }
    if (eq === 0) throw parseError(line, `${kw} names can not be blank`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

function durationFlag(flags: Flags, name: string, label: string, line: number): number {
  const v = flagString(flags, name);
  if (v === undefined) return 0;
  const ms = parseGoDuration(v);
  if (ms === undefined) throw parseError(line, `time: invalid duration "${v}"`);
  if (ms < 0) throw parseError(line, `${label} "${v}" cannot be negative`);
  if (ms > 0 && ms < 1) throw parseError(line, `${label} "${v}" cannot be less than 1ms`);
  return Math.round(ms * 1e6);
}

function healthcheck(
  flags: Flags,
  text: string,
  line: number,
): Omit<HealthcheckInstruction, 'line' | 'original' | 'kind'> {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(text);
  const type = (m?.[1] ?? '').toUpperCase();
  const args = m?.[2] ?? '';
  const retriesText = flagString(flags, 'retries') ?? '0';
  const retries = Number(retriesText);
  if (!/^-?\d+$/.test(retriesText)) throw parseError(line, `invalid --retries "${retriesText}"`);
  if (retries < 0) throw parseError(line, `--retries cannot be negative (${retries})`);
  const timing = {
    intervalNs: durationFlag(flags, 'interval', 'Interval', line),
    timeoutNs: durationFlag(flags, 'timeout', 'Timeout', line),
    startPeriodNs: durationFlag(flags, 'start-period', 'StartPeriod', line),
    startIntervalNs: durationFlag(flags, 'start-interval', 'StartInterval', line),
    retries,
  };
  if (type === 'NONE') {
    if (args !== '' || flags.size > 0)
      throw parseError(line, 'HEALTHCHECK NONE takes no arguments');
    return { test: ['NONE'], ...timing };
  }
  if (type !== 'CMD') throw parseError(line, `Unknown type "${type}" in HEALTHCHECK (try CMD)`);
  if (args === '') throw parseError(line, 'Missing command after HEALTHCHECK CMD');
  const cmd = commandForm(args);
  const test = cmd.form === 'exec' ? ['CMD', ...cmd.args] : ['CMD-SHELL', cmd.text];
  return { test, ...timing };
}

const heredocWord = /^<<-?(["']?)([A-Za-z_][A-Za-z0-9_]*)\1$/;

/**
 * Parses one logical line into an instruction, with Docker's messages for malformed ones
 * (`dockerfile parse error line N: …`). Arguments stay raw for expansion at build time.
 */
export function parseInstruction(l: LogicalLine, escape: EscapeChar): Instruction {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(l.text);
  const kw = (m?.[1] ?? '').toUpperCase();
  const { line } = l;
  const base = { line, original: l.text };
  const { flags, rest } =
    kw in allowedFlags
      ? takeFlags(kw, m?.[2] ?? '', line)
      : { flags: new Map() as Flags, rest: (m?.[2] ?? '').trim() };
  const atLeastOne = (): void => {
    if (rest === '') throw parseError(line, `${kw} requires at least one argument`);
  };
  switch (kw) {
    case 'FROM': {
      const words = rawWords(rest, escape);
      const asName = words.length === 3 && (words[1] as string).toLowerCase() === 'as';
      if (words.length !== 1 && !asName) {
        throw parseError(line, 'FROM requires either one or three arguments');
      }
      const stageName = asName ? (words[2] as string).toLowerCase() : undefined;
      if (stageName !== undefined && !/^[a-z][a-z0-9_.-]*$/.test(stageName)) {
        throw parseError(
          line,
          `invalid name for build stage: "${words[2]}", name can't start with a number or contain symbols`,
        );
      }
      const platform = flagString(flags, 'platform');
      return {
        kind: 'FROM',
        ...base,
        image: words[0] as string,
        ...(stageName !== undefined ? { stageName } : {}),
        ...(platform !== undefined ? { platform } : {}),
      };
    }
    case 'RUN':
      atLeastOne();
      return { kind: 'RUN', ...base, command: commandForm(rest), heredocs: l.heredocs };
    case 'CMD':
    case 'ENTRYPOINT':
      atLeastOne();
      return { kind: kw, ...base, command: commandForm(rest) };
    case 'ENV':
    case 'LABEL':
      return { kind: kw, ...base, pairs: keyValues(kw, rest, escape, line) };
    case 'ARG': {
      const words = rawWords(rest, escape);
      if (words.length === 0) throw parseError(line, 'ARG requires at least one argument');
      const args = words.map((w) => {
        const eq = w.indexOf('=');
        const name = eq < 0 ? w : w.slice(0, eq);
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
          throw parseError(line, `invalid ARG name "${name}"`);
        return eq < 0 ? { name } : { name, rawDefault: w.slice(eq + 1) };
      });
      return { kind: 'ARG', ...base, args };
    }
    case 'EXPOSE':
      atLeastOne();
      return { kind: 'EXPOSE', ...base, values: rawWords(rest, escape) };
    case 'VOLUME': {
      atLeastOne();
      const values = jsonStrings(rest) ?? rawWords(rest, escape);
      if (values.some((v) => v.trim() === '')) {
        throw parseError(line, 'VOLUME specified can not be an empty string');
      }
      return { kind: 'VOLUME', ...base, values };
    }
    case 'WORKDIR':
    case 'USER':
    case 'MAINTAINER':
      if (rest === '') throw parseError(line, `${kw} requires exactly one argument`);
      return { kind: kw, ...base, value: rest };
    case 'STOPSIGNAL':
      if (rawWords(rest, escape).length !== 1) {
        throw parseError(line, 'STOPSIGNAL requires exactly one argument');
      }
      return { kind: kw, ...base, value: rest };
    case 'COPY':
    case 'ADD': {
      const words = jsonStrings(rest) ?? rawWords(rest, escape);
      if (words.length < 2) {
        throw parseError(
          line,
          `${kw} requires at least two arguments, but only one was provided. Destination could not be determined.`,
        );
      }
      const sources = words.slice(0, -1).map((w) => {
        const h = heredocWord.exec(w);
        return h ? `<<${h[2]}` : w;
      });
      const opt = (name: string) => {
        const v = flagString(flags, name);
        return v !== undefined ? { [name]: v } : {};
      };
      return {
        kind: kw,
        ...base,
        sources,
        dest: words[words.length - 1] as string,
        heredocs: l.heredocs,
        ...opt('from'),
        ...opt('chown'),
        ...opt('chmod'),
        ...opt('checksum'),
        ...(flags.get('link') === true ? { link: true } : {}),
      };
    }
    case 'HEALTHCHECK':
      atLeastOne();
      return { kind: 'HEALTHCHECK', ...base, ...healthcheck(flags, rest, line) };
    case 'SHELL': {
      const shell = jsonStrings(rest);
      if (shell === null) throw parseError(line, 'SHELL requires the arguments to be in JSON form');
      if (shell.length === 0) throw parseError(line, 'SHELL requires at least one argument');
      return { kind: 'SHELL', ...base, shell };
    }
    case 'ONBUILD': {
      atLeastOne();
      const trigger = (/^\S+/.exec(rest)?.[0] ?? '').toUpperCase();
      if (trigger === 'ONBUILD') {
        throw parseError(line, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      }
      if (trigger === 'FROM' || trigger === 'MAINTAINER') {
        throw parseError(line, `${trigger} isn't allowed as an ONBUILD trigger`);
      }
      const parsed = parseInstruction({ line, text: rest, heredocs: [] }, escape);
      return { kind: 'ONBUILD', ...base, trigger: rest, parsed };
    }
    default:
      throw parseError(line, `unknown instruction: ${m?.[1] ?? l.text}`);
  }
}
