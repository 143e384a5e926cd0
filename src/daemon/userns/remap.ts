import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidParameter, systemError } from '../../errors/index.js';
import { execFile } from '../../lib/exec.js';
import { freeRange, mappingsOf, parseSubIdFile, rangesOf, type SubIdRange } from './subid.js';

/** Container id → host id, as in the OCI spec's uidMappings/gidMappings. */
export interface IdMapping {
  containerID: number;
  hostID: number;
  size: number;
}

/** A resolved `--userns-remap`: who container root is on the host, and every id mapping. */
export interface UsernsRemap {
  user: string;
  group: string;
  uidMappings: IdMapping[];
  gidMappings: IdMapping[];
  /** Host uid and gid of the container's root (the first range's start). */
  rootUid: number;
  rootGid: number;
}

/** Where the account files live (tests point this elsewhere). */
export interface AccountFiles {
  etcDir: string;
  log: (m: string) => void;
}

/** The user `--userns-remap default` uses, created when missing (Docker's is `dockremap`). */
export const DEFAULT_REMAP_USER = 'berth';
const RANGE_SIZE = 65536;

/** Splits `user[:group]` (names or numeric ids); `default` means berth:berth. */
export function parseRemapSpec(spec: string): { user: string; group: string | undefined } {
  if (spec === 'default') return { user: DEFAULT_REMAP_USER, group: DEFAULT_REMAP_USER };
  const m = /^([A-Za-z0-9_][A-Za-z0-9_.-]*\$?)(?::([A-Za-z0-9_][A-Za-z0-9_.-]*))?$/.exec(spec);
  if (m === null) throw invalidParameter(`invalid --userns-remap ${JSON.stringify(spec)}`);
  return { user: m[1] ?? '', group: m[2] };
}

type Entry = { name: string; id: number };

async function entries(path: string): Promise<Entry[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 3 && /^\d+$/.test(f[2] ?? ''))
    .map((f) => ({ name: f[0] ?? '', id: Number(f[2]) }));
}

function find(list: Entry[], nameOrId: string): Entry | undefined {
  return /^\d+$/.test(nameOrId)
    ? list.find((e) => e.id === Number(nameOrId))
    : list.find((e) => e.name === nameOrId);
}

/** Creates the `berth` system user (and its group when missing) for `--userns-remap default`. */
async function createDefaultUser(files: AccountFiles): Promise<void> {
  const groupExists = find(await entries(join(files.etcDir, 'group')), DEFAULT_REMAP_USER);
  const args = ['--system', '--no-create-home', '--shell', '/bin/false'];
  args.push(...(groupExists ? ['-g', DEFAULT_REMAP_USER] : ['-U']), DEFAULT_REMAP_USER);
  const r = await execFile('useradd', args, { timeoutMs: 30_000 });
  if (r.code !== 0) throw systemError(`useradd ${DEFAULT_REMAP_USER}: ${r.stderr.trim()}`);
  files.log(`created system user ${DEFAULT_REMAP_USER} for --userns-remap default`);
}

/** The user's subordinate ranges; for `default`, a free 65536-id range is added when it has none. */
async function subRanges(
  files: AccountFiles,
  file: 'subuid' | 'subgid',
  who: Entry,
  allocate: boolean,
): Promise<SubIdRange[]> {
  const path = join(files.etcDir, file);
  const text = await readFile(path, 'utf8').catch(() => '');
  const parsed = parseSubIdFile(text);
  const found = rangesOf(parsed, who.name, who.id);
  if (found.length > 0 || !allocate) return found;
  const start = freeRange(parsed, RANGE_SIZE);
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  await appendFile(path, `${sep}${who.name}:${start}:${RANGE_SIZE}\n`);
  files.log(`added ${who.name}:${start}:${RANGE_SIZE} to ${path}`);
  return [{ start, count: RANGE_SIZE }];
}

/**
 * Resolves `--userns-remap`: looks the user and group up in passwd/group, reads their ranges
 * from subuid/subgid (several per user are concatenated). `default` creates the `berth` user and
 * its ranges when missing. Throws InvalidParameter for unknown users and users without ranges.
 */
export async function resolveRemap(spec: string, files: AccountFiles): Promise<UsernsRemap> {
  const { user, group } = parseRemapSpec(spec);
  const isDefault = spec === 'default';
  let pw = find(await entries(join(files.etcDir, 'passwd')), user);
  if (pw === undefined && isDefault) {
    await createDefaultUser(files);
    pw = find(await entries(join(files.etcDir, 'passwd')), user);
  }
  if (pw === undefined) throw invalidParameter(`--userns-remap: no such user: ${user}`);
  // Without a group, the user's name is the subgid key (as Docker).
  const gr = find(await entries(join(files.etcDir, 'group')), group ?? pw.name) ?? {
    name: group ?? pw.name,
    id: -1,
  };
  if (group !== undefined && gr.id < 0) {
    throw invalidParameter(`--userns-remap: no such group: ${group}`);
  }
  const uids = await subRanges(files, 'subuid', pw, isDefault);
  const gids = await subRanges(
    files,
    'subgid',
    gr.id < 0 ? { name: gr.name, id: -1 } : gr,
    isDefault,
  );
  if (uids.length === 0 || gids.length === 0) {
    const which = uids.length === 0 ? `subuid for ${pw.name}` : `subgid for ${gr.name}`;
    throw invalidParameter(`--userns-remap: no ${which} ranges in ${files.etcDir}`);
  }
  const uidMappings = mappingsOf(uids);
  const gidMappings = mappingsOf(gids);
  return {
    user: pw.name,
    group: gr.name,
    uidMappings,
    gidMappings,
    rootUid: uidMappings[0]?.hostID ?? 0,
    rootGid: gidMappings[0]?.hostID ?? 0,
  };
}
