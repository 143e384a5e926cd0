import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  futimesSync,
  lchownSync,
  chmodSync,
  mkdirSync,
  openSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import type { Header } from 'tar-stream';

/**
 * Regular files up to this size are written with synchronous calls on the event loop. A tree of
 * many small files is otherwise bound by thread-pool round trips (7 per file); the sync path
 * blocks the loop for well under a millisecond per file.
 */
export const SMALL_FILE_BYTES = 1024 * 1024;

/**
 * Writes a regular file entry at `target`, whose lstat is `old` (null when absent): an old
 * non-directory is unlinked (a symlink itself, never its target), then the file is created with
 * O_EXCL|O_NOFOLLOW, so nothing is written through a link. Owner before mode (chown clears
 * setuid/setgid), mtime last. The caller refuses or clears an old directory first.
 */
export function writeSmallFileSync(
  target: string,
  old: Stats | null,
  h: Header,
  chunks: Buffer[],
): void {
  if (old !== null) unlinkSync(target);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const fd = openSync(target, flags, 0o600);
  try {
    for (const c of chunks) {
      let off = 0;
      while (off < c.length) off += writeSync(fd, c, off, c.length - off);
    }
    fchownSync(fd, h.uid, h.gid);
    fchmodSync(fd, h.mode & 0o7777);
    futimesSync(fd, h.mtime, h.mtime);
  } finally {
    closeSync(fd);
  }
}

/**
 * Makes the directory entry `target` (kept when `existed`: a tar may list a directory again or
 * after its children); owner, then mode. `target` is a real directory or absent: the caller
 * checked with lstat, and lchown never follows a link.
 */
export function writeDirSync(target: string, existed: boolean, h: Header): void {
  if (!existed) mkdirSync(target, 0o700);
  lchownSync(target, h.uid, h.gid);
  chmodSync(target, h.mode & 0o7777);
}
