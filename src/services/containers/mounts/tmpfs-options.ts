import { invalidParameter } from '../../../errors/index.js';

const flags = new Set([
  'rw',
  'ro',
  'exec',
  'noexec',
  'suid',
  'nosuid',
  'dev',
  'nodev',
  'sync',
  'async',
  'dirsync',
  'atime',
  'noatime',
  'diratime',
  'nodiratime',
  'relatime',
  'norelatime',
  'strictatime',
  'nostrictatime',
  'mand',
  'nomand',
  'remount',
]);
const valued =
  /^(size=\d+[kKmMgG%]?|nr_blocks=\d+[kKmMgG]?|nr_inodes=\d+[kKmMgG]?|mode=[0-7]{1,4}|uid=\d+|gid=\d+|mpol=[a-z:0-9,-]+|huge=[a-z_]+)$/;

/**
 * The mount options of a `--tmpfs /dst:opts` entry: Docker's defaults (noexec, nosuid, nodev)
 * then the user's, which may override them. Only tmpfs's known options are accepted, so a value
 * can never smuggle another mount option (or a comma-joined one) into mount(2).
 */
export function tmpfsMountOptions(userOpts: string, defaults = ['noexec', 'nosuid', 'nodev']) {
  const user = userOpts.split(',').filter((o) => o !== '');
  for (const o of user) {
    if (!flags.has(o) && !valued.test(o)) {
      throw invalidParameter(`invalid tmpfs option ${JSON.stringify(o)}`);
    }
  }
  const overridden = (d: string): boolean =>
    user.some((o) => o === d || o === d.replace(/^no/, '') || `no${o}` === d);
  return [...defaults.filter((d) => !overridden(d)), ...user];
}

/** Whether the options make the tmpfs read-only. */
export const tmpfsReadOnly = (opts: readonly string[]): boolean => opts.includes('ro');
