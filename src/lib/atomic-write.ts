import { open, rename, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';

/**
 * Writes `data` to `path` so that readers see either the old file or the whole new one:
 * temp file in the same directory → fsync → rename.
 */
export async function atomicWrite(
  path: string,
  data: string | Uint8Array,
  mode = 0o644,
): Promise<void> {
  const tmp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fh.close();
  await rename(tmp, path);
}
