import { constants } from 'node:fs';
import { lstat, readlink, open } from 'node:fs/promises';
import { posix } from 'node:path';

const maxLinks = 40;

/**
 * Resolves `path` inside `root` the way the container would see it: every symlink is followed
 * relative to `root`, and `..` never climbs above it. Returns the host path. Components that do
 * not exist are kept as they are (the result may not exist).
 */
export async function resolveInRoot(root: string, path: string): Promise<string> {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  const done: string[] = [];
  let links = 0;
  while (parts.length > 0) {
    const part = parts.shift() as string;
    if (part === '..') {
      done.pop();
      continue;
    }
    const host = posix.join(root, ...done, part);
    let st;
    try {
      st = await lstat(host);
    } catch {
      done.push(part, ...parts.filter((p) => p !== '..'));
      break;
    }
    if (!st.isSymbolicLink()) {
      done.push(part);
      continue;
    }
    if (++links > maxLinks) throw new Error(`too many levels of symbolic links: ${path}`);
    const target = await readlink(host);
    if (target.startsWith('/')) done.length = 0;
    parts.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
  }
  return posix.join(root, ...done);
}

/**
 * Reads a file of a container's filesystem without ever leaving `root`; the file must be a
 * regular file of at most `maxBytes`. Returns undefined when it does not exist.
 */
export async function readFileInRoot(
  root: string,
  path: string,
  maxBytes = 4 * 1024 * 1024,
): Promise<Buffer | undefined> {
  const host = await resolveInRoot(root, path);
  let fh;
  try {
    // O_NOFOLLOW: the final component was resolved above; refuse a link swapped in since.
    // O_NONBLOCK: opening a FIFO for reading would otherwise block (a libuv thread) forever.
    fh = await open(host, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR') return undefined;
    throw e;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.size > maxBytes) return undefined;
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}
