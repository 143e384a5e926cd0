import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import type { Header } from 'tar-stream';
import { invalidParameter } from '../errors/index.js';
import type { Digest } from '../lib/digest.js';
import { decompressedStream } from './decompress.js';
import { clearTarget, entryComponents, safeTarget } from './entry-path.js';
import { makeOpaque, makeWhiteout } from './special-files.js';
import { drain, finishDirs, writeEntry, type UnpackState } from './write-entry.js';
import { classifyArchiveError } from './archive-errors.js';
import { drainOrClose } from '../lib/drain.js';

/** Options of {@link unpackLayer}. */
export interface UnpackOptions {
  /**
   * `overlay` (default): OCI whiteouts become overlayfs ones — `.wh.<name>` a 0:0 character
   * device, `.wh..wh..opq` the `trusted.overlay.opaque=y` xattr on its directory.
   * `literal`: `.wh.*` entries are written as ordinary files (for tars that are not layers).
   */
  whiteouts?: 'overlay' | 'literal';
}

/** The result of unpacking one layer. */
export interface UnpackResult {
  /** sha256 of the uncompressed tar stream (the OCI diff id). */
  diffId: Digest;
  /** Bytes of the uncompressed tar stream. */
  size: number;
  /** Sum of the sizes of the regular files written. */
  contentSize: number;
}

/**
 * Unpacks a (gzip or plain) layer tar from `src` into the existing directory `dest`, computing
 * the diff id in the same pass. Treats the input as hostile: absolute names, `..` components,
 * writes through symlinks, hardlinks to anything but a file unpacked earlier from this layer, and
 * device nodes are refused with InvalidParameter naming the entry. Symlink targets are stored
 * verbatim and never followed. A failed unpack leaves partial content in `dest`: the caller
 * unpacks into a scratch directory and discards it (the snapshotter's ensureLayer does).
 * Mode (incl. setuid/setgid/sticky), uid/gid and mtime are applied; xattrs are not.
 */
export async function unpackLayer(
  src: Readable,
  dest: string,
  opts: UnpackOptions = {},
): Promise<UnpackResult> {
  let stream: Readable;
  try {
    ({ stream } = await decompressedStream(src));
  } catch (e) {
    throw classifyArchiveError(e, '', 'layer');
  }
  const hash = createHash('sha256');
  let size = 0;
  const extract = tar.extract();
  const feed = async (): Promise<void> => {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      if (extract.destroyed) return;
      if (!extract.write(chunk)) await drainOrClose(extract);
    }
    extract.end(undefined);
  };
  const feeding = feed().catch((e: unknown) => {
    extract.destroy(e as Error);
    throw e;
  });
  feeding.catch(() => undefined); // observed below; avoid an unhandled rejection meanwhile
  const st: UnpackState = { dest, files: new Set(), dirs: [], contentSize: 0 };
  const whiteouts = opts.whiteouts ?? 'overlay';
  let current = '';
  try {
    for await (const entry of extract) {
      const h = entry.header;
      current = h.name;
      const body = entry as unknown as Readable;
      const comps = entryComponents(h.name);
      if (comps.length === 0)
        await drain(body); // the layer root itself: keep dest as it is
      else if (whiteouts === 'overlay' && comps.at(-1)!.startsWith('.wh.'))
        await applyWhiteout(st, h, comps, body);
      else await writeEntry(st, h, comps, body);
    }
    await feeding;
    await finishDirs(st);
  } catch (e) {
    extract.destroy(null);
    stream.destroy();
    src.destroy();
    await feeding.catch(() => undefined);
    throw classifyArchiveError(e, current, 'layer');
  }
  return { diffId: `sha256:${hash.digest('hex')}`, size, contentSize: st.contentSize };
}

/** Turns an OCI whiteout entry into its overlayfs form (see UnpackOptions.whiteouts). */
async function applyWhiteout(st: UnpackState, h: Header, comps: string[], body: Readable) {
  await drain(body);
  const base = comps.at(-1)!;
  const parent = comps.slice(0, -1);
  await safeTarget(st.dest, comps, h.name); // parents: real directories, created if missing
  if (base === '.wh..wh..opq') return makeOpaque(join(st.dest, ...parent));
  if (base.startsWith('.wh..wh.')) return; // other AUFS metadata (.wh..wh.plnk...): ignored
  const hidden = base.slice('.wh.'.length);
  if (hidden === '' || hidden === '.' || hidden === '..')
    throw invalidParameter(`layer entry ${JSON.stringify(h.name)}: invalid whiteout`);
  const target = join(st.dest, ...parent, hidden);
  await clearTarget(target, false);
  await makeWhiteout(target);
}
