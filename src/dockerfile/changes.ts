import { invalidParameter } from '../errors/index.js';
import { splitWords } from './words.js';

/** The image config fields a change can set (Docker's container config subset, image-spec names). */
export interface ChangeableConfig {
  User?: string;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  ExposedPorts?: Record<string, object>;
  Volumes?: Record<string, object>;
}

/** The instructions `docker import --change` and `docker commit --change` accept. */
export const CHANGE_INSTRUCTIONS = [
  'CMD',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'USER',
  'WORKDIR',
  'LABEL',
  'VOLUME',
  'STOPSIGNAL',
] as const;

/**
 * Applies Dockerfile instruction lines (`CMD ["echo","hi"]`, `ENV A=1 B=2`, `EXPOSE 80/udp`…) to a
 * copy of `base`, in order, as Docker applies `changes` on import/commit. JSON (exec) form is used
 * when the arguments parse as a JSON string array, shell form (`/bin/sh -c`) otherwise. ENTRYPOINT
 * clears an inherited CMD unless an earlier change set one, as in a Dockerfile. Variable expansion
 * (`$VAR`) is not performed. Unknown or empty instructions throw InvalidParameter naming the line.
 */
export function applyChanges(
  changes: readonly string[],
  base: ChangeableConfig = {},
): ChangeableConfig {
  const cfg: ChangeableConfig = structuredClone(base);
  let cmdSet = false;
  for (const line of changes) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const m = /^(\S+)(?:\s+([\s\S]*))?$/.exec(trimmed);
    const instr = (m?.[1] ?? '').toUpperCase();
    const args = (m?.[2] ?? '').trim();
    const fail = (why: string) =>
      invalidParameter(`invalid change ${JSON.stringify(line)}: ${why}`);
    if (!(CHANGE_INSTRUCTIONS as readonly string[]).includes(instr))
      throw fail(`${instr} is not a valid change command`);
    if (args === '') throw fail(`${instr} requires at least one argument`);
    switch (instr) {
      case 'CMD':
        cfg.Cmd = commandForm(args);
        cmdSet = true;
        break;
      case 'ENTRYPOINT':
        cfg.Entrypoint = commandForm(args);
        if (!cmdSet) cfg.Cmd = null;
        break;
      case 'ENV':
        for (const [k, v] of keyValues(args, 'ENV', fail)) setEnv(cfg, k, v);
        break;
      case 'LABEL':
        cfg.Labels = { ...cfg.Labels };
        for (const [k, v] of keyValues(args, 'LABEL', fail)) cfg.Labels[k] = v;
        break;
      case 'EXPOSE':
        cfg.ExposedPorts = { ...cfg.ExposedPorts };
        for (const w of splitWords(args)) for (const p of ports(w, fail)) cfg.ExposedPorts[p] = {};
        break;
      case 'VOLUME':
        cfg.Volumes = { ...cfg.Volumes };
        for (const v of jsonArray(args) ?? splitWords(args)) {
          if (v === '') throw fail('VOLUME specified can not be an empty string');
          cfg.Volumes[v] = {};
        }
        break;
      case 'USER':
        cfg.User = single(args, fail);
        break;
      case 'WORKDIR': {
        const dir = single(args, fail);
        cfg.WorkingDir = dir.startsWith('/') ? dir : joinPath(cfg.WorkingDir || '/', dir);
        break;
      }
      case 'STOPSIGNAL':
        cfg.StopSignal = single(args, fail);
        break;
    }
  }
  return cfg;
}

/** `["a","b"]` → its strings; anything else → null. */
function jsonArray(args: string): string[] | null {
  if (!args.startsWith('[')) return null;
  try {
    const v = JSON.parse(args) as unknown;
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : null;
  } catch {
    return null;
  }
}

function commandForm(args: string): string[] {
  return jsonArray(args) ?? ['/bin/sh', '-c', args];
}

/** `k=v k2="v 2"`, or the legacy `k v with spaces` (a single pair). */
function keyValues(args: string, instr: string, fail: (why: string) => Error): [string, string][] {
  const words = splitWords(args);
  if (!words[0]?.includes('=')) {
    const m = /^(\S+)\s+([\s\S]+)$/.exec(args);
    if (!m) throw fail(`${instr} must have two arguments`);
    return [[m[1] as string, splitWords(m[2] as string).join(' ')]];
  }
  return words.map((w) => {
    const i = w.indexOf('=');
    if (i <= 0) throw fail(`${instr} names can not be blank (in ${JSON.stringify(w)})`);
    return [w.slice(0, i), w.slice(i + 1)];
  });
}

function setEnv(cfg: ChangeableConfig, k: string, v: string): void {
  const env = (cfg.Env ?? []).filter((e) => e.split('=')[0] !== k);
  env.push(`${k}=${v}`);
  cfg.Env = env;
}

/** `80`, `80/udp`, `8000-8002/tcp` → `80/tcp`… (at most 1024 ports per word). */
export function ports(word: string, fail: (why: string) => Error): string[] {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/(tcp|udp|sctp))?$/i.exec(word);
  const lo = Number(m?.[1]);
  const hi = m?.[2] === undefined ? lo : Number(m[2]);
  if (!m || lo < 1 || hi > 65535 || hi < lo || hi - lo >= 1024)
    throw fail(`invalid port ${JSON.stringify(word)}`);
  const proto = (m[3] ?? 'tcp').toLowerCase();
  return Array.from({ length: hi - lo + 1 }, (_, i) => `${lo + i}/${proto}`);
}

function single(args: string, fail: (why: string) => Error): string {
  const words = splitWords(args);
  if (words.length !== 1) throw fail('requires exactly one argument');
  return words[0] as string;
}

function joinPath(base: string, rel: string): string {
  return `${base.replace(/\/+$/, '')}/${rel}`;
}
