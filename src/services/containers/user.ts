import { readFileInRoot } from '../../lib/in-root.js';
import { systemError } from '../../errors/index.js';

/** The numeric identity a container process runs as. */
export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  home: string;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

function parsePasswd(text: string): PasswdEntry[] {
  return text
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 7 && /^\d+$/.test(f[2] ?? '') && /^\d+$/.test(f[3] ?? ''))
    .map((f) => ({ name: f[0] ?? '', uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '/' }));
}

function parseGroup(text: string): { name: string; gid: number; members: string[] }[] {
  return text
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 4 && /^\d+$/.test(f[2] ?? ''))
    .map((f) => ({
      name: f[0] ?? '',
      gid: Number(f[2]),
      members: (f[3] ?? '').split(',').filter(Boolean),
    }));
}

const isNumeric = (s: string): boolean => /^\d+$/.test(s);

/**
 * Resolves Docker's `user[:group]` (names or numbers) against the container's /etc/passwd and
 * /etc/group, read without leaving the rootfs. Unknown names fail like Docker's
 * `unable to find user x: no matching entries in passwd file`.
 */
export async function resolveUser(rootfs: string, spec: string): Promise<ResolvedUser> {
  const [userPart = '', groupPart] = spec.split(':', 2);
  const passwd = parsePasswd((await readFileInRoot(rootfs, '/etc/passwd'))?.toString() ?? '');
  const groups = parseGroup((await readFileInRoot(rootfs, '/etc/group'))?.toString() ?? '');
  let entry: PasswdEntry | undefined;
  if (userPart === '')
    entry = passwd.find((p) => p.uid === 0) ?? { name: 'root', uid: 0, gid: 0, home: '/root' };
  else if (isNumeric(userPart)) entry = passwd.find((p) => p.uid === Number(userPart));
  else {
    entry = passwd.find((p) => p.name === userPart);
    if (!entry)
      throw systemError(`unable to find user ${userPart}: no matching entries in passwd file`);
  }
  const uid =
    userPart === '' ? 0 : isNumeric(userPart) ? Number(userPart) : (entry as PasswdEntry).uid;
  let gid = entry?.gid ?? 0;
  if (groupPart !== undefined && groupPart !== '') {
    if (isNumeric(groupPart)) gid = Number(groupPart);
    else {
      const g = groups.find((x) => x.name === groupPart);
      if (!g)
        throw systemError(`unable to find group ${groupPart}: no matching entries in group file`);
      gid = g.gid;
    }
  }
  const name = entry?.name;
  const additionalGids =
    name === undefined
      ? []
      : groups.filter((g) => g.members.includes(name) && g.gid !== gid).map((g) => g.gid);
  return { uid, gid, additionalGids, home: entry?.home ?? '/' };
}

/**
 * Resolves `--group-add` entries (numbers, or names from the container's /etc/group) to gids.
 * An unknown name fails like Docker's `Unable to find group x: no matching entries in group file`.
 */
export async function resolveGroupAdd(rootfs: string, names: readonly string[]): Promise<number[]> {
  if (names.length === 0) return [];
  const groups = parseGroup((await readFileInRoot(rootfs, '/etc/group'))?.toString() ?? '');
  return names.map((n) => {
    if (isNumeric(n)) return Number(n);
    const g = groups.find((x) => x.name === n);
    if (!g) throw systemError(`Unable to find group ${n}: no matching entries in group file`);
    return g.gid;
  });
}
