import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { classifyArchiveError } from './archive-errors.js';
import { drainOrClose } from '../lib/drain.js';
import { resolveInRoot } from '../lib/in-root.js';
import { decompressedStream } from './decompress.js';
import { entryComponents } from './entry-path.js';
import { ParentResolver, type ContainerPaths } from './parent-resolver.js';
import { placeEntry, type Extraction } from './place-entry.js';
import { drain, finishDirs } from './write-entry.js';

/** Options of {@link extractInto} (the query parameters of PUT /containers/{id}/archive). */
export interface ExtractOptions {
  /** Refuse to replace a directory with a non-directory or the reverse (Docker's flag). */
  noOverwriteDirNonDir: boolean;
  /** Owner of every entry instead of the tar's (copyUIDGID with a container user). */
  owner?: { uid: number; gid: number };
  /** How container paths map to host paths; default: everything under `root`. */
  paths?: ContainerPaths;
}

export type { ContainerPaths } from './parent-resolver.js';

/**
 * Extracts a tar (plain, gzip or zstd) into the directory `dir` of the filesystem rooted at
 * `root` (a container rootfs). Entry names are relative to `dir`; absolute names, `..`, device
 * nodes and hard links to anything but a file of this same archive are refused (InvalidParameter).
 * Each entry's parent is resolved the way the container sees it — symlinks already in the rootfs
 * are followed, but relative to `root` (or through `opts.paths`), so nothing is ever created
 * outside it — and the entry itself is never opened through a link. The caller guarantees nothing else changes the tree
 * meanwhile (the container is stopped or frozen). A failure leaves what was extracted so far.
 */
export async function extractInto(
  root: string,
  dir: string,
  src: Readable,
  opts: ExtractOptions,
): Promise<void> {
  let stream: Readable;
  try {
    ({ stream } = await decompressedStream(src));
  } catch (e) {
    throw classifyArchiveError(e, '', 'archive');
  }
  const extract = tar.extract();
  const feeding = (async () => {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (extract.destroyed) return;
      if (!extract.write(chunk)) await drainOrClose(extract);
    }
    extract.end(undefined);
  })().catch((e: unknown) => {
    extract.destroy(e as Error);
    throw e;
  });
  feeding.catch(() => undefined); // observed below
  const paths = opts.paths ?? rootPaths(root);
  const x: Extraction = {
    dir,
    noOverwriteDirNonDir: opts.noOverwriteDirNonDir,
    paths,
    parents: new ParentResolver(paths, dir),
    files: new Set<string>(),
    dirs: [],
  };
  let current = '';
  try {
    for await (const entry of extract) {
      const h = opts.owner ? { ...entry.header, ...opts.owner } : entry.header;
      current = h.name;
      const body = entry as unknown as Readable;
      const comps = entryComponents(h.name);
      if (comps.length === 0) {
        await drain(body); // the archive's root entry: `dir` itself stays as it is
        continue;
      }
      const name = comps[comps.length - 1]!;
      const parent = await x.parents.resolve(comps.slice(0, -1), h.name);
      const targetPath = posix.join(parent.path, name);
      x.paths.checkWritable?.(targetPath);
      // Mapped by `paths` (not joined to the parent): the name may be a mount of its own.
      const target = x.paths.host(targetPath);
      const absent = x.parents.knownAbsent(parent.host, name, target);
      await placeEntry(x, { h, rel: comps.join('/'), target, absent }, body);
    }
    await feeding;
    await finishDirs({ dest: root, files: x.files, dirs: x.dirs, contentSize: 0 });
  } catch (e) {
    extract.destroy(null);
    stream.destroy();
    src.destroy();
    await feeding.catch(() => undefined);
    throw classifyArchiveError(e, current, 'archive');
  }
}

/** Plain paths under `root` (a rootfs with nothing mounted in it). */
function rootPaths(root: string): ContainerPaths {
  return {
    async resolve(path) {
      const host = await resolveInRoot(root, path);
      return { path: `/${posix.relative(root, host)}`, host };
    },
    host: (path) => posix.join(root, path),
  };
}
