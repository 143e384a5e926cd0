import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, readFile, readlink } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { UsageError } from '../../errors.js';
import { IgnoreMatcher, parseDockerignore } from '../../../dockerfile/dockerignore.js';

type Headers = Partial<tar.Header> & Pick<tar.Header, 'name'>;

/** The context to send and the Dockerfile path to name in the query. */
export interface PackedContext {
  tar: Readable;
  dockerfile: string;
}

/**
 * Packs a context directory as the docker CLI does: `.dockerignore` applied here (the Dockerfile
 * and `.dockerignore` are always sent), links stored as links, owners reset to root. A `-f` file
 * outside the context is added under a random name, which is then the Dockerfile to use.
 */
export async function packContext(dir: string, file: string | undefined): Promise<PackedContext> {
  const root = resolve(dir);
  const st = await lstat(root).catch(() => null);
  if (st === null || !st.isDirectory())
    throw new UsageError(`unable to prepare context: path "${dir}" not found`);
  const ignore = ignoreMatcher(await readFile(join(root, '.dockerignore'), 'utf8').catch(() => ''));
  const dfPath = resolve(file === undefined || file === '-' ? join(root, 'Dockerfile') : file);
  const rel = relative(root, dfPath);
  const inside = rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
  const df = await readFile(dfPath).catch(() => null);
  if (df === null) throw new UsageError(`unable to prepare context: cannot read ${dfPath}`);
  const extra = inside ? null : `.dockerfile.${randomBytes(10).toString('hex')}`;
  const keep = new Set(['.dockerignore', inside ? rel.split(sep).join('/') : '']);
  const pack = tar.pack();
  void (async () => {
    await walk(pack, root, '', ignore, keep);
    if (extra !== null) await entry(pack, { name: extra, mode: 0o600, size: df.length }, df);
    pack.finalize();
  })().catch((e: unknown) => pack.destroy(e as Error));
  return {
    tar: pack as unknown as Readable,
    dockerfile: extra ?? rel.split(sep).join('/'),
  };
}

async function walk(
  pack: tar.Pack,
  root: string,
  rel: string,
  ignore: IgnoreMatcher,
  keep: Set<string>,
): Promise<void> {
  for (const name of (await readdir(join(root, rel))).sort()) {
    const p = rel === '' ? name : `${rel}/${name}`;
    const abs = join(root, p);
    const st = await lstat(abs).catch(() => null);
    if (st === null) continue;
    const out = ignore.excluded(p) && !keep.has(p);
    if (st.isDirectory()) {
      if (out && ignore.canSkipDir(p)) continue;
      if (!out) await entry(pack, header(`${p}/`, st, 'directory'));
      await walk(pack, root, p, ignore, keep);
    } else if (!out) await fileEntry(pack, abs, p, st);
  }
}

function header(name: string, st: Stats, type: tar.Header['type']): Headers {
  return { name, type, mode: st.mode & 0o7777, mtime: st.mtime, uid: 0, gid: 0 };
}

async function fileEntry(pack: tar.Pack, abs: string, name: string, st: Stats): Promise<void> {
  if (st.isSymbolicLink())
    return entry(pack, { ...header(name, st, 'symlink'), linkname: await readlink(abs) });
  if (!st.isFile()) return; // devices, fifos and sockets have no place in a context
  const fh = await open(abs, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    // Chunk by chunk with backpressure: a large context is never held in memory.
    let sink!: ReturnType<tar.Pack['entry']>;
    const done = new Promise<void>((res, rej) => {
      sink = pack.entry({ ...header(name, st, 'file'), size: st.size }, (e) =>
        e ? rej(e) : res(),
      );
    });
    for (let at = 0; at < st.size;) {
      const buf = Buffer.alloc(Math.min(CHUNK, st.size - at));
      // zero-filled: a file that shrank meanwhile is padded, so the tar stays well-formed
      await fh.read(buf, 0, buf.length, at);
      at += buf.length;
      if (!sink.write(buf)) await new Promise<void>((r) => sink.once('drain', () => r()));
    }
    sink.end(undefined);
    await done;
  } finally {
    await fh.close();
  }
}

const CHUNK = 256 * 1024;

function entry(pack: tar.Pack, h: Headers, data: Buffer = Buffer.alloc(0)): Promise<void> {
  return new Promise((res, rej) => pack.entry(h, data, (e) => (e ? rej(e) : res())));
}

/** The context's `.dockerignore` as the daemon reads it (one matcher for both sides). */
function ignoreMatcher(text: string): IgnoreMatcher {
  return new IgnoreMatcher(parseDockerignore(text));
}
