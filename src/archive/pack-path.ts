import {
  closeSync,
  constants,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
} from 'node:fs';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { major, minor } from './pack-dir.js';
import { encodeTarHeader, END_OF_ARCHIVE, paddingOf, type TarEntryHeader } from './tar-header.js';

const OUT_CHUNK = 256 * 1024;

/** A directory the walk goes into: where it is on the host and its lstat there. */
export interface WalkDir {
  host: string;
  st: Stats;
}

/**
 * Which directories {@link packPath} descends into, by their path as the consumer names them
 * (`top` is the packed path's; children are `<parent>/<name>`). `enter` gets a directory found in
 * the walk (`dir`: its own host path and lstat, `parentDev`: the device of the directory holding
 * it) and returns the directory to store and walk instead (the same one, or a mount's source),
 * or null to store the directory but not its content.
 */
export interface PackMounts {
  top: string;
  enter(path: string, dir: WalkDir, parentDev: number): WalkDir | null;
}

/** The default: stay on the device of the directory holding each subdirectory. */
const sameDevice: PackMounts = {
  top: '/',
  enter: (_path, dir, parentDev) => (dir.st.dev === parentDev ? dir : null),
};

/**
 * Packs one path (a file, link, or a directory recursively) into a tar stream whose entries are
 * named the way Docker's archive GET names them: the path itself as `name` (`name/` for a
 * directory) and a directory's content as `name/<rel>`. Three names are special: `.` (a path
 * ending in `/.`: the root entry is `./`, children are bare relative names) and `/` (the
 * container root: `/` then `/<rel>`, absolute names as Docker sends them, which the docker CLI
 * rebases onto its destination), as in Docker; `` gives the children only. Never follows a symlink (lstat, O_NOFOLLOW opens); a
 * second name of a hard-linked file is stored as a link to the first; fifos and devices are
 * stored as such, sockets skipped. A directory on another device than the one holding it is
 * stored but not descended into (kernel mounts are never archived) unless `mounts` says where
 * to go instead. A file that changes size meanwhile is cut or zero padded to the size lstat saw,
 * so the archive stays well-formed.
 *
 * The tree is walked with synchronous calls and file contents are read straight into 256 KB
 * output chunks: one allocation per chunk instead of several objects per entry (a tree of many
 * small files was otherwise bound by per-entry overhead and GC). Work happens only when the
 * consumer asks for more, one 256 KB chunk per call.
 */
export function packPath(hostPath: string, name: string, mounts = sameDevice): Readable {
  let out = Buffer.allocUnsafe(OUT_CHUNK);
  let used = 0;
  let walking: Generator<void, void, void> | null = null;
  let pushes = 0;
  const stream = new Readable({
    highWaterMark: 4 * OUT_CHUNK,
    read() {
      try {
        walking ??= walk();
        // Each call pushes at least one chunk (Node calls read() again only after a push).
        const pushedBefore = pushes;
        while (pushes === pushedBefore) {
          if (stream.destroyed) return;
          if (walking.next().done === true) {
            append(END_OF_ARCHIVE);
            if (used > 0) stream.push(out.subarray(0, used));
            stream.push(null);
            return;
          }
        }
      } catch (e) {
        stream.destroy(e as Error);
      }
    },
    destroy(err, cb) {
      // Ends a walk stopped halfway, so its finally blocks close the file it was reading.
      try {
        walking?.return();
      } catch {
        // already finished or failed
      }
      cb(err);
    },
  });

  /** Hands the current chunk downstream when full; true when the walk should yield. */
  const rotate = (): boolean => {
    pushes++;
    stream.push(out);
    out = Buffer.allocUnsafe(OUT_CHUNK);
    used = 0;
    return true;
  };
  /** Copies bytes into the output, rotating chunks; returns how many rotations happened. */
  const append = (b: Buffer): number => {
    let n = 0;
    for (let off = 0; off < b.length;) {
      const k = b.copy(out, used, off);
      used += k;
      off += k;
      if (used === OUT_CHUNK && rotate()) n++;
    }
    return n;
  };
  const zeros = (count: number): number => {
    let n = 0;
    while (count > 0) {
      const k = Math.min(count, OUT_CHUNK - used);
      out.fill(0, used, used + k);
      used += k;
      count -= k;
      if (used === OUT_CHUNK && rotate()) n++;
    }
    return n;
  };
  /** Reads `size` bytes of an open file into the output (zeros past a short read). */
  function* body(fd: number, size: number): Generator<void, void, void> {
    let pos = 0;
    while (pos < size) {
      const want = Math.min(size - pos, OUT_CHUNK - used);
      const got = readSync(fd, out, used, want, pos);
      if (got === 0) {
        if (zeros(size - pos) > 0) yield;
        break;
      }
      used += got;
      pos += got;
      if (used === OUT_CHUNK && rotate()) yield;
    }
    if (zeros(paddingOf(size)) > 0) yield;
  }

  const links = new Map<string, string>();
  const top = lstatSync(hostPath);
  const named = (rel: string): string =>
    name === '' || name === '.' ? rel : name === '/' ? `/${rel}` : `${name}/${rel}`;

  function* entry(abs: string, entryName: string, st: Stats): Generator<void, void, void> {
    const h: TarEntryHeader = {
      name: entryName,
      type: '0',
      mode: st.mode,
      uid: st.uid,
      gid: st.gid,
      size: 0,
      mtime: Math.floor(st.mtimeMs / 1000),
    };
    if (st.isDirectory()) h.type = '5';
    else if (st.isSymbolicLink()) {
      h.type = '2';
      try {
        h.linkname = readlinkSync(abs);
      } catch {
        return; // replaced meanwhile
      }
    } else if (st.isFIFO()) h.type = '6';
    else if (st.isCharacterDevice() || st.isBlockDevice()) {
      h.type = st.isCharacterDevice() ? '3' : '4';
      h.devmajor = major(st.rdev);
      h.devminor = minor(st.rdev);
    } else if (!st.isFile()) return; // sockets: tar has no type for them
    if (st.isDirectory() && !entryName.endsWith('/')) h.name = `${entryName}/`;
    if (st.isFile() && st.nlink > 1) {
      const key = `${st.dev}:${st.ino}`;
      const first = links.get(key);
      if (first !== undefined) {
        h.type = '1';
        h.linkname = first;
      } else links.set(key, entryName);
    }
    if (h.type !== '0') {
      if (append(encodeTarHeader(h)) > 0) yield;
      return;
    }
    let fd: number;
    try {
      fd = openSync(abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch {
      return; // vanished or replaced by a link since lstat: left out, never followed
    }
    try {
      h.size = st.size;
      if (append(encodeTarHeader(h)) > 0) yield;
      yield* body(fd, st.size);
    } finally {
      closeSync(fd);
    }
  }

  function* tree(dir: WalkDir, rel: string, path: string): Generator<void, void, void> {
    for (const n of readdirSync(dir.host).sort()) {
      const abs = join(dir.host, n);
      const relName = rel === '' ? n : `${rel}/${n}`;
      let st: Stats;
      try {
        st = lstatSync(abs);
      } catch {
        continue; // vanished meanwhile
      }
      const childPath = path === '/' ? `/${n}` : `${path}/${n}`;
      const into = st.isDirectory() ? mounts.enter(childPath, { host: abs, st }, dir.st.dev) : null;
      yield* entry(into?.host ?? abs, named(relName), into?.st ?? st);
      if (into !== null) yield* tree(into, relName, childPath);
      yield; // let the consumer's backpressure act between entries
    }
  }

  function* walk(): Generator<void, void, void> {
    if (name !== '') yield* entry(hostPath, name, top);
    if (top.isDirectory()) yield* tree({ host: hostPath, st: top }, '', mounts.top);
  }

  return stream;
}
