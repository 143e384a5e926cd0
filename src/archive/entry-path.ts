import { lstat, mkdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidParameter } from '../errors/index.js';

/**
 * Splits a tar entry name (or hardlink target) into path components relative to the layer root.
 * Leading `./` and trailing `/` are accepted; `.` components are dropped. Absolute names, `..`
 * components, NUL bytes and names longer than 4096 bytes are refused with InvalidParameter. The
 * layer root itself (`.`, `./`) gives `[]`.
 */
export function entryComponents(name: string, what = 'entry'): string[] {
  if (name.includes('\0') || Buffer.byteLength(name) > 4096)
    throw invalidParameter(`layer ${what} ${JSON.stringify(name.slice(0, 200))}: invalid name`);
  if (name.startsWith('/'))
    throw invalidParameter(`layer ${what} ${JSON.stringify(name)}: absolute path not allowed`);
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..'))
    throw invalidParameter(`layer ${what} ${JSON.stringify(name)}: ".." component not allowed`);
  return parts;
}

/**
 * Returns the absolute path of `components` under `dest` after making sure that every parent
 * component is a real directory: missing parents are created (0755, as tar does), and a parent
 * that is a symlink or not a directory is refused. Together with never opening the last component
 * through a link (see {@link clearTarget}), nothing is ever written outside `dest`. Checked with
 * lstat on every call (no cache), since a later entry may replace a directory with a symlink.
 */
export async function safeTarget(
  dest: string,
  components: string[],
  entry: string,
): Promise<string> {
  let dir = dest;
  for (const part of components.slice(0, -1)) {
    dir = join(dir, part);
    const st = await lstatOrNull(dir);
    if (st === null) {
      await mkdir(dir, 0o755);
    } else if (st.isSymbolicLink()) {
      throw invalidParameter(`layer entry ${JSON.stringify(entry)}: parent ${part} is a symlink`);
    } else if (!st.isDirectory()) {
      throw invalidParameter(
        `layer entry ${JSON.stringify(entry)}: parent ${part} is not a directory`,
      );
    }
  }
  return join(dest, ...components);
}

/**
 * Makes room for a new entry at `path` without following a symlink there: an existing directory
 * is kept when `keepDir` (a tar may list a directory twice, or after its children) and removed
 * recursively otherwise; anything else is unlinked (a symlink itself, never its target). Returns
 * true when a directory was kept.
 */
export async function clearTarget(path: string, keepDir: boolean): Promise<boolean> {
  const st = await lstatOrNull(path);
  if (st === null) return false;
  if (st.isDirectory()) {
    if (keepDir) return true;
    await rm(path, { recursive: true, force: true });
    return false;
  }
  await unlink(path);
  return false;
}

/** lstat that returns null for a missing path. */
export async function lstatOrNull(path: string): Promise<Awaited<ReturnType<typeof lstat>> | null> {
  try {
    return await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
