import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { opaqueDirs } from './opaque-dirs.js';
import { addEntry } from './pack-dir.js';
import { writeBufferEntry } from './tar-write.js';

const whiteoutPrefix = '.wh.';
const opaqueMarker = '.wh..wh..opq';

/**
 * Packs an overlay upper dir (a container's changes) as an OCI image layer: overlay whiteouts
 * (0:0 character devices) become `.wh.<name>` files, an opaque directory gets a `.wh..wh..opq`
 * entry, everything else is stored as packDir stores it (never following links, hard links once).
 * Entry names are relative, sorted, directories before their content. The caller keeps the tree
 * still meanwhile (the container is stopped or paused).
 */
export function packLayer(upper: string): Readable {
  const pack = tar.pack();
  void (async () => {
    const opaque = await opaqueDirs(upper);
    const links = new Map<string, string>();
    // A whiteout is an empty regular file: its (empty) body must be given, or the entry stays open.
    const marker = (name: string, mtime: Date): Promise<void> =>
      writeBufferEntry(pack, { name, type: 'file', size: 0, mode: 0o644, mtime }, Buffer.alloc(0));
    const walk = async (dir: string, rel: string): Promise<void> => {
      if (opaque.has(rel === '' ? '/' : `/${rel}`)) {
        const st = await lstat(dir);
        await marker(rel === '' ? opaqueMarker : `${rel}/${opaqueMarker}`, st.mtime);
      }
      for (const name of (await readdir(dir)).sort()) {
        if (pack.destroyed) return;
        const abs = join(dir, name);
        const relName = rel === '' ? name : `${rel}/${name}`;
        const st = await lstat(abs).catch(() => null);
        if (st === null) continue;
        if (st.isCharacterDevice() && st.rdev === 0) {
          const wh = rel === '' ? `${whiteoutPrefix}${name}` : `${rel}/${whiteoutPrefix}${name}`;
          await marker(wh, st.mtime);
          continue;
        }
        await addEntry(pack, abs, relName, st, links);
        if (st.isDirectory()) await walk(abs, relName);
      }
    };
    await walk(upper, '');
    pack.finalize();
  })().catch((e: unknown) => pack.destroy(e as Error));
  return pack as unknown as Readable;
}
