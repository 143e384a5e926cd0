import { randomBytes } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidParameter, notFound, systemError } from '../../errors/index.js';
import { digestHex, isDigest, type Digest } from '../../lib/digest.js';

/**
 * On-disk layout of the overlay snapshotter, all under one root (`<data-root>/overlay`):
 *
 *   layers/<hex>/diff        committed layer content (hex of the chain id)
 *   layers/<hex>/link        the layer's short link name (26 chars)
 *   layers/<hex>/parent      parent chain id, or empty
 *   containers/<key>/        snapshot.json, init/, upper/, work/, merged/
 *   l/<link> -> ../layers/<hex>/diff  or  ../containers/<key>/init
 *   tmp/                     scratch for fills and deletions; emptied on open
 *
 * The short `l/` links keep the mount option string small: mount runs with cwd = root and names
 * each lower as `l/<link>` (29 bytes with the separator), so ~135 lowers fit in 4095 bytes.
 */
export class OverlayLayout {
  constructor(readonly root: string) {}

  layerDir(chainId: Digest): string {
    if (!isDigest(chainId))
      throw invalidParameter(`invalid chain id "${String(chainId).slice(0, 80)}"`);
    return join(this.root, 'layers', digestHex(chainId));
  }

  containerDir(key: string): string {
    assertKey(key);
    return join(this.root, 'containers', key);
  }

  get layersDir(): string {
    return join(this.root, 'layers');
  }
  get containersDir(): string {
    return join(this.root, 'containers');
  }
  get linksDir(): string {
    return join(this.root, 'l');
  }
  get tmpDir(): string {
    return join(this.root, 'tmp');
  }

  /** A fresh scratch path under tmp/. */
  scratch(prefix: string): string {
    return join(this.tmpDir, `${prefix}-${randomBytes(8).toString('hex')}`);
  }

  /** The short link name of a committed layer. */
  async layerLink(chainId: Digest): Promise<string> {
    try {
      return parseLink((await readFile(join(this.layerDir(chainId), 'link'), 'utf8')).trim());
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        throw notFound(`layer ${chainId}: not found`);
      throw e;
    }
  }
}

/** What a container snapshot records, so mount() needs only its key. */
export interface SnapshotRecord {
  /** Chain ids, bottom first. */
  layers: Digest[];
  /** Short link name of the container's init layer. */
  initLink: string;
}

const keyPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Container snapshot keys become path components: refuse anything else. */
export function assertKey(key: string): void {
  if (!keyPattern.test(key))
    throw invalidParameter(`invalid snapshot key "${String(key).slice(0, 80)}"`);
}

const linkAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const linkPattern = /^[A-Z2-7]{26}$/;

/** A new random 26-character link name (130 bits). */
export function newLink(): string {
  return Array.from(randomBytes(26), (b) => linkAlphabet[b & 31]).join('');
}

/** Validates a link name read back from disk before it goes into a mount option. */
export function parseLink(s: string): string {
  if (!linkPattern.test(s)) throw systemError(`corrupt overlay link name "${s.slice(0, 40)}"`);
  return s;
}

/** Parses snapshot.json, refusing anything that would not be safe to put into a mount option. */
export function parseRecord(json: string): SnapshotRecord {
  const v = JSON.parse(json) as Partial<SnapshotRecord>;
  if (!Array.isArray(v.layers) || !v.layers.every((l) => typeof l === 'string' && isDigest(l)))
    throw systemError('corrupt snapshot record: layers');
  return { layers: v.layers, initLink: parseLink(String(v.initLink)) };
}

/** True when `path` exists (not following a final symlink). */
export async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** readdir that returns null for a missing directory. */
export async function readdirOrEmpty(dir: string): Promise<string[] | null> {
  try {
    return await readdir(dir);
  } catch (e) {
    if (
      (e as NodeJS.ErrnoException).code === 'ENOENT' ||
      (e as NodeJS.ErrnoException).code === 'ENOTDIR'
    )
      return null;
    throw e;
  }
}
