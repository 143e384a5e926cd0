import { constants } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import type { Header } from 'tar-stream';

type Headers = Partial<Header> & Pick<Header, 'name'>;

/** Options of {@link packDir}. */
export interface PackDirOptions {
  /**
   * Store a directory that is a mount point (its device differs from the root's) as an empty
   * directory: `/proc`, `/sys`, `/dev` of a container rootfs are exported as directories, never
   * with kernel files inside, as Docker's export does.
   */
  skipMountContents?: boolean;
}

const CHUNK = 64 * 1024;

/**
 * Packs the directory `root` into a tar stream, walking it lazily (nothing is read before the
 * consumer asks, and the whole tree is never held in memory). Entry names are relative without a
 * leading `./`, directories end in `/`, siblings are sorted. Never follows a symlink: symlinks are
 * stored as links with their target verbatim, files are opened with O_NOFOLLOW. A second path to
 * the same inode (hard link) is stored as a hard link to the first. Character/block devices and
 * fifos are stored as such (with device numbers); sockets are skipped (tar has no type for them);
 * xattrs are not stored. A file that changes size while being read is stored with the size seen
 * by lstat: truncated or padded with zeros, so the archive stays well-formed.
 */
export function packDir(root: string, opts: PackDirOptions = {}): Readable {
  const pack = tar.pack();
  void (async () => {
    const rootSt = await lstat(root);
    const links = new Map<string, string>();
    const walk = async (dir: string, rel: string): Promise<void> => {
      const names = (await readdir(dir)).sort();
      for (const name of names) {
        if (pack.destroyed) return;
        const abs = join(dir, name);
        const relName = rel === '' ? name : `${rel}/${name}`;
        const st = await lstat(abs).catch(() => null); // vanished meanwhile: skip
        if (st === null) continue;
        await addEntry(pack, abs, relName, st, links);
        if (!st.isDirectory()) continue;
        if (opts.skipMountContents === true && st.dev !== rootSt.dev) continue;
        await walk(abs, relName);
      }
    };
    await walk(root, '');
    pack.finalize();
  })().catch((e: unknown) => pack.destroy(e as Error));
  return pack as unknown as Readable; // streamx Readable: pipe/async-iterable like Node's
}

/** Writes one entry for `abs` (already lstat'ed); `links` maps dev:ino to the first name seen. */
export async function addEntry(
  pack: tar.Pack,
  abs: string,
  name: string,
  st: Stats,
  links: Map<string, string>,
): Promise<void> {
  const base: Headers = {
    name,
    mode: st.mode, // type bits included so a 000 file is not defaulted to 0644 by tar-stream
    uid: st.uid,
    gid: st.gid,
    mtime: st.mtime,
  };
  if (st.isDirectory()) return entry(pack, { ...base, name: `${name}/`, type: 'directory' });
  if (st.isSymbolicLink())
    return entry(pack, { ...base, type: 'symlink', linkname: await readlink(abs) });
  if (st.isFIFO()) return entry(pack, { ...base, type: 'fifo' });
  if (st.isCharacterDevice() || st.isBlockDevice()) {
    const type = st.isCharacterDevice() ? 'character-device' : 'block-device';
    return entry(pack, { ...base, type, devmajor: major(st.rdev), devminor: minor(st.rdev) });
  }
  if (!st.isFile()) return; // sockets and anything else tar cannot represent
  if (st.nlink > 1) {
    const key = `${st.dev}:${st.ino}`;
    const first = links.get(key);
    if (first !== undefined) return entry(pack, { ...base, type: 'link', linkname: first });
    links.set(key, name);
  }
  await fileEntry(pack, abs, { ...base, type: 'file', size: st.size });
}

function entry(pack: tar.Pack, h: Headers): Promise<void> {
  return new Promise((resolve, reject) => pack.entry(h, (e) => (e ? reject(e) : resolve())));
}

/** Streams exactly `h.size` bytes of the file (zero padded if it shrank), honouring backpressure. */
async function fileEntry(pack: tar.Pack, abs: string, h: Headers): Promise<void> {
  const size = h.size ?? 0;
  let fh;
  try {
    fh = await open(abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return; // vanished or replaced by a link since lstat: leave it out rather than follow it
  }
  try {
    let sink!: ReturnType<tar.Pack['entry']>;
    const done = new Promise<void>((resolve, reject) => {
      sink = pack.entry(h, (e) => (e ? reject(e) : resolve()));
    });
    let written = 0;
    while (written < size) {
      const want = Math.min(CHUNK, size - written);
      const buf = Buffer.alloc(want);
      const { bytesRead } = await fh.read(buf, 0, want, written);
      const chunk = bytesRead === 0 ? buf : buf.subarray(0, bytesRead); // EOF early: zeros
      written += chunk.length;
      if (!sink.write(chunk)) await new Promise<void>((r) => sink.once('drain', () => r()));
    }
    sink.end(undefined);
    await done;
  } finally {
    await fh.close();
  }
}

/** The major number of a Linux dev_t (glibc's gnu_dev_major). */
export function major(rdev: number): number {
  const big = BigInt(rdev);
  return Number(((big >> 8n) & 0xfffn) | ((big >> 32n) & ~0xfffn));
}

/** The minor number of a Linux dev_t (glibc's gnu_dev_minor). */
export function minor(rdev: number): number {
  const big = BigInt(rdev);
  return Number((big & 0xffn) | ((big >> 12n) & ~0xffn));
}
