import { lstatSync } from 'node:fs';
import { lstat, readlink } from 'node:fs/promises';
import { posix } from 'node:path';
import type { PackMounts } from '../../archive/pack-path.js';
import type { ResolvedMount } from './mounts/types.js';

const maxLinks = 40;

/** A mount whose content Berth maps itself: container path `destination` shows host `host`. */
export interface MappedMount {
  destination: string;
  host: string;
}

/**
 * The filesystem a container sees, as `docker cp` reads and writes it. `root` is the host path of
 * the container's `/`; `mapped` lists the mounts the kernel does not show under `root` (a stopped
 * container's volumes and binds; empty when `root` is a running container's /proc/<pid>/root,
 * whose mount tree already holds them); `mounts` are all the container's mounts (for read-only
 * checks).
 */
export interface ArchiveView {
  root: string;
  mapped: MappedMount[];
  mounts: readonly ResolvedMount[];
}

/** A container path resolved in a view: the clean container path and where it is on the host. */
export interface InViewPath {
  /** Absolute container path with every link resolved (the last component included). */
  path: string;
  host: string;
}

/** True when the clean absolute container path `path` is `dest` or lies under it. */
export function isUnder(path: string, dest: string): boolean {
  return dest === '/' || path === dest || path.startsWith(`${dest}/`);
}

/**
 * The host path of a clean absolute container path: under the deepest mapped mount holding it,
 * else under the root. `path` must have no `.`/`..` components (as {@link resolveInView} makes).
 * The container's `/` keeps a trailing slash (`<root>/`), so that lstat follows a root that is
 * the /proc/<pid>/root magic link instead of reporting the link itself.
 */
export function hostOf(view: ArchiveView, path: string): string {
  let best: MappedMount | undefined;
  for (const m of view.mapped)
    if (isUnder(path, m.destination) && (!best || m.destination.length > best.destination.length))
      best = m;
  if (!best) return posix.join(view.root, path);
  return posix.join(best.host, path.slice(best.destination.length));
}

/** The deepest of the container's mounts holding the clean container path `path`, if any. */
export function mountOf(view: ArchiveView, path: string): ResolvedMount | undefined {
  let best: ResolvedMount | undefined;
  for (const m of view.mounts)
    if (isUnder(path, m.destination) && (!best || m.destination.length > best.destination.length))
      best = m;
  return best;
}

/**
 * Resolves `path` the way the container would: every component, the last included, is looked up
 * in the container's view, a symlink is followed relative to the container's `/` (an absolute
 * target starts over at the container root, `..` never climbs above it) — so a link inside a
 * volume pointing at `/` or `..` lands in the container, never on the host. The kernel only ever
 * sees host paths built from plain components (no `..`, no links it would follow in its own
 * namespace except the final `root` magic link of /proc/<pid>/root). Components past a missing
 * one are kept as they are, `..` dropped (the result may not exist). Throws after 40 links.
 */
export async function resolveInView(view: ArchiveView, path: string): Promise<InViewPath> {
  const parts = split(path);
  const done: string[] = [];
  let links = 0;
  while (parts.length > 0) {
    const part = parts.shift() as string;
    if (part === '..') {
      done.pop();
      continue;
    }
    const host = hostOf(view, `/${[...done, part].join('/')}`);
    const st = await lstat(host).catch(() => null);
    if (st === null || !st.isSymbolicLink()) {
      done.push(part);
      if (st === null) {
        // Nothing below a missing component exists, so nothing there is a link. `..` is dropped
        // (as in lib/in-root.ts): popping back past the missing component would hand the
        // kernel a path through components no one resolved.
        done.push(...parts.filter((p) => p !== '..'));
        break;
      }
      continue;
    }
    if (++links > maxLinks) throw new Error(`too many levels of symbolic links: ${path}`);
    const target = await readlink(host);
    if (target.startsWith('/')) done.length = 0;
    parts.unshift(...split(target));
  }
  const clean = `/${done.join('/')}`;
  return { path: clean, host: hostOf(view, clean) };
}

/**
 * How a `docker cp` out of the directory at container path `top` crosses mounts: into each of the
 * container's own mounts (a volume, bind or tmpfs; a stopped container's volumes and binds read
 * from their host source), never into the kernel's (/proc, /sys, /dev and whatever else lies on
 * another device: stored as an empty directory).
 */
export function packMounts(view: ArchiveView, top: string): PackMounts {
  return {
    top,
    enter(path, dir, parentDev) {
      const mapped = view.mapped.find((m) => m.destination === path);
      if (mapped !== undefined) {
        const st = lstatSync(mapped.host, { throwIfNoEntry: false });
        return st?.isDirectory() === true ? { host: mapped.host, st } : null;
      }
      const own = view.mounts.some((m) => m.destination === path);
      return dir.st.dev === parentDev || own ? dir : null;
    },
  };
}

const split = (p: string): string[] => p.split('/').filter((c) => c !== '' && c !== '.');
