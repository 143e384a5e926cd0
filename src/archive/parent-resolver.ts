import { lstatSync, mkdirSync } from 'node:fs';
import { posix } from 'node:path';
import { invalidParameter } from '../errors/index.js';

/**
 * A container's filesystem as a caller sees it (e.g. a rootfs with volumes mapped in). Both
 * functions take absolute container paths and must never give a host path outside the container.
 */
export interface ContainerPaths {
  /** Resolves every component (links followed inside the container, the last one too). */
  resolve(path: string): Promise<{ path: string; host: string }>;
  /** The host path of a resolved container path (its last component is not followed). */
  host(path: string): string;
  /** Throws (a BerthError) when nothing may be written at this resolved container path. */
  checkWritable?(path: string): void;
}

/**
 * Entry parents of one extraction as resolved container paths (links followed inside the
 * container); missing ones are created (0755) on the host. Resolutions are cached per parent
 * name, so a tree of many files resolves each directory once; the owner drops the cache
 * (`clear`) whenever an entry could change a resolution (a symlink planted, a directory replaced).
 *
 * It also remembers which host directories this extraction created itself ("fresh"): they were
 * empty when made and, the tree being quiet (see extractInto), hold only what this extraction
 * put there since — recorded with `wrote`. `known` tells the owner when a target's lstat is
 * unnecessary. A wrong "absent" can only make an O_EXCL create or a mkdir fail with EEXIST (the
 * owner then lstats and retries), never write through a link.
 */
export class ParentResolver {
  private readonly cache = new Map<string, { path: string; host: string }>();
  private readonly fresh = new Set<string>();
  private readonly written = new Set<string>();

  constructor(
    private readonly paths: ContainerPaths,
    private readonly dir: string,
  ) {}

  /** Forgets every cached resolution (not what was created: that stays true). */
  clear(): void {
    this.cache.clear();
  }

  /** Records that `host` (a directory just made by mkdir, which fails on an existing name) is new. */
  created(host: string): void {
    this.fresh.add(host);
  }

  /** Records that something was written at `host` (any type). */
  wrote(host: string): void {
    this.written.add(host);
  }

  /**
   * True when `host`, the name `name` in the directory `parentHost`, is certainly absent: the
   * directory is fresh, nothing was written there under that name, and `host` is that plain
   * child (not a mount mapped in at that path).
   */
  knownAbsent(parentHost: string, name: string, host: string): boolean {
    return (
      this.fresh.has(parentHost) &&
      host.length === parentHost.length + 1 + name.length &&
      host === `${parentHost}/${name}` &&
      !this.written.has(host)
    );
  }

  /** The parent `comps` (relative to the extraction dir) resolved: container and host path. */
  async resolve(comps: string[], entry: string): Promise<{ path: string; host: string }> {
    const key = comps.join('/');
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const { path, host } = await this.paths.resolve(posix.join(this.dir, ...comps));
    const st = lstatSync(host, { throwIfNoEntry: false });
    if (st === undefined) {
      this.paths.checkWritable?.(path);
      mkdirSync(host, { recursive: true, mode: 0o755 });
      this.fresh.add(host); // it was missing: made empty just now
    } else if (!st.isDirectory())
      throw invalidParameter(`entry ${JSON.stringify(entry)}: parent ${key} is not a directory`);
    const r = { path, host };
    this.cache.set(key, r);
    return r;
  }
}
