import { lstat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { extractInto } from '../../archive/extract-into.js';
import { addEntry } from '../../archive/pack-dir.js';
import { writeBufferEntry } from '../../archive/tar-write.js';
import { resolveInRoot } from '../../lib/in-root.js';
import type { PlannedFile } from './copy-plan.js';

/** A Stats with other permission bits (the type bits are kept). */
export function withMode(st: Stats, perm: number): Stats {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(st) as object) as Stats, st);
  copy.mode = (st.mode & ~0o7777) | (perm & 0o7777);
  return copy;
}

/** The components of `dir` (relative) that do not exist yet in `rootfs`, outermost first. */
async function missingDirs(rootfs: string, dir: string): Promise<string[]> {
  const parts = dir.split('/').filter((p) => p !== '');
  const missing: string[] = [];
  for (let i = parts.length; i > 0; i--) {
    const p = parts.slice(0, i).join('/');
    const st = await lstat(await resolveInRoot(rootfs, p)).catch(() => null);
    if (st !== null) break;
    missing.unshift(p);
  }
  return missing;
}

function packFiles(
  files: readonly PlannedFile[],
  dirs: string[],
  chmod: number | undefined,
  now: Date,
): Readable {
  const pack = tar.pack();
  void (async () => {
    const links = new Map<string, string>();
    for (const d of dirs) {
      await writeBufferEntry(pack, { name: `${d}/`, type: 'directory', mode: 0o755, mtime: now });
    }
    for (const f of files) {
      if (pack.destroyed) return;
      if ('content' in f) {
        const mode = chmod ?? f.mode;
        const h = {
          name: f.name,
          type: 'file' as const,
          mode,
          size: f.content.length,
          mtime: f.mtime,
        };
        await writeBufferEntry(pack, h, f.content);
      } else {
        const keep = chmod === undefined || f.st.isSymbolicLink();
        await addEntry(pack, f.abs, f.name, keep ? f.st : withMode(f.st, chmod), links);
      }
    }
    pack.finalize();
  })().catch((e: unknown) => pack.destroy(e as Error));
  return pack as unknown as Readable;
}

/**
 * Writes planned files into a mounted rootfs: missing parent directories (and `ensureDirs`) are
 * created (0755),
 * every entry gets `owner` (Docker: 0:0 unless --chown) and, with --chmod, those permission bits.
 * Goes through extractInto, so nothing can land outside `rootfs` whatever links it holds.
 */
export async function writeFiles(
  rootfs: string,
  files: readonly PlannedFile[],
  owner: { uid: number; gid: number },
  chmod: number | undefined,
  ensureDirs: readonly string[] = [],
): Promise<void> {
  const parents = new Set<string>(ensureDirs);
  for (const f of files) parents.add(posix.dirname(f.name));
  const dirs = new Set<string>();
  for (const p of parents) if (p !== '.') for (const d of await missingDirs(rootfs, p)) dirs.add(d);
  const planned = new Set(files.map((f) => f.name));
  const stream = packFiles(
    files,
    [...dirs].filter((d) => !planned.has(d)).sort(),
    chmod,
    new Date(),
  );
  await extractInto(rootfs, '/', stream, { noOverwriteDirNonDir: false, owner });
}
