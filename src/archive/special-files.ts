import { execFile } from '../lib/exec.js';
import { systemError } from '../errors/index.js';

/**
 * Node has no mknod(2) and no setxattr(2), so whiteouts, fifos and xattrs are made by the
 * coreutils `mknod` and the `setfattr` tool (Debian package `attr`), each with a timeout.
 * Paths are always absolute and passed after `--`, so a name can never be read as an option.
 */
const TIMEOUT_MS = 10_000;

async function run(file: string, args: string[]): Promise<void> {
  const r = await execFile(file, args, { timeoutMs: TIMEOUT_MS });
  if (r.code !== 0) {
    throw systemError(`${file} ${args.join(' ')}: exit ${r.code ?? r.signal}: ${r.stderr.trim()}`);
  }
}

/** Creates an overlayfs whiteout: a character device with device number 0:0. */
export async function makeWhiteout(path: string): Promise<void> {
  await run('mknod', ['-m', '0', '--', path, 'c', '0', '0']);
}

/** Creates a named pipe (fifo) with the given permission bits. */
export async function makeFifo(path: string, mode: number): Promise<void> {
  await run('mknod', ['-m', (mode & 0o7777).toString(8), '--', path, 'p']);
}

/** Marks a directory opaque for overlayfs (its lower-layer contents are hidden). */
export async function makeOpaque(dir: string): Promise<void> {
  await setXattr(dir, 'trusted.overlay.opaque', Buffer.from('y'));
}

/** Sets an extended attribute on `path` itself (never a symlink's target: `-h`). */
export async function setXattr(path: string, name: string, value: Buffer): Promise<void> {
  await run('setfattr', ['-h', '-n', name, '-v', `0s${value.toString('base64')}`, '--', path]);
}
