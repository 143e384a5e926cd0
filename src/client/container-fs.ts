import type { IncomingHttpHeaders } from 'node:http';

/** The stat Docker sends in `X-Docker-Container-Path-Stat` (mode is a Go os.FileMode). */
export interface ContainerPathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

/** Go's os.ModeDir and os.ModeSymlink bits of {@link ContainerPathStat.mode}. */
export const GO_MODE_DIR = 2 ** 31;
export const GO_MODE_SYMLINK = 2 ** 27;

/** Options of PUT /containers/{id}/archive. */
export interface PutArchiveOptions {
  /** Refuse replacing a directory with a non-directory or the reverse. */
  noOverwriteDirNonDir?: boolean;
  /** Give the files the container user's uid/gid (`docker cp -a`). */
  copyUIDGID?: boolean;
}

/** Decodes the stat header of an archive HEAD/GET answer. Throws when it is absent or bad. */
export function pathStatOf(headers: IncomingHttpHeaders): ContainerPathStat {
  const h = headers['x-docker-container-path-stat'];
  if (typeof h !== 'string') throw new Error('the daemon sent no X-Docker-Container-Path-Stat');
  const v = JSON.parse(Buffer.from(h, 'base64').toString('utf8')) as Partial<ContainerPathStat>;
  if (typeof v.name !== 'string' || typeof v.mode !== 'number')
    throw new Error('malformed X-Docker-Container-Path-Stat header');
  return {
    name: v.name,
    size: v.size ?? 0,
    mode: v.mode,
    mtime: v.mtime ?? '',
    linkTarget: v.linkTarget ?? '',
  };
}

/** The query string of the archive endpoints. */
export function archiveQuery(path: string, opts: PutArchiveOptions = {}): string {
  const q = new URLSearchParams({ path });
  if (opts.noOverwriteDirNonDir === true) q.set('noOverwriteDirNonDir', 'true');
  if (opts.copyUIDGID === true) q.set('copyUIDGID', 'true');
  return `?${q.toString()}`;
}
