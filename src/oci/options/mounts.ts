import { invalidParameter } from '../../errors/index.js';
import type { SpecOpt } from '../spec-opt.js';
import type { Mount } from '../types.js';
import { cleanPath, requireAbsolutePath, requireInt, requireNoNul } from '../validate.js';

/** Options for Docker's default filesystem mounts. */
export interface DefaultMountsOptions {
  /** Size of the /dev/shm tmpfs in bytes (Docker's default is 64 MiB). */
  shmSize: number;
}

const NOSUID_NOEXEC_NODEV = ['nosuid', 'noexec', 'nodev'];

/**
 * Replaces `mounts` with Docker's defaults, in Docker's order: proc, /dev tmpfs, devpts,
 * read-only sysfs and cgroup, mqueue and /dev/shm.
 */
export function withDefaultMounts(opts: DefaultMountsOptions): SpecOpt {
  requireInt('shm size', opts.shmSize, 1, Number.MAX_SAFE_INTEGER);
  return (spec) => {
    spec.mounts = [
      { destination: '/proc', type: 'proc', source: 'proc', options: [...NOSUID_NOEXEC_NODEV] },
      {
        destination: '/dev',
        type: 'tmpfs',
        source: 'tmpfs',
        options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
      },
      {
        destination: '/dev/pts',
        type: 'devpts',
        source: 'devpts',
        options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
      },
      {
        destination: '/sys',
        type: 'sysfs',
        source: 'sysfs',
        options: [...NOSUID_NOEXEC_NODEV, 'ro'],
      },
      {
        destination: '/sys/fs/cgroup',
        type: 'cgroup',
        source: 'cgroup',
        options: ['ro', ...NOSUID_NOEXEC_NODEV],
      },
      {
        destination: '/dev/mqueue',
        type: 'mqueue',
        source: 'mqueue',
        options: [...NOSUID_NOEXEC_NODEV],
      },
      {
        destination: '/dev/shm',
        type: 'tmpfs',
        source: 'shm',
        options: [...NOSUID_NOEXEC_NODEV, 'mode=1777', `size=${opts.shmSize}`],
      },
    ];
  };
}

/** Options of `bindMount`. */
export interface BindOptions {
  readonly?: boolean;
  /** Mount propagation; Docker's default is rprivate. */
  propagation?: 'rprivate' | 'private' | 'rshared' | 'shared' | 'rslave' | 'slave';
}

/** A recursive bind mount in Docker's form, e.g. for /etc/hosts: `rbind`, `rprivate`[, `ro`]. */
export function bindMount(source: string, destination: string, opts: BindOptions = {}): Mount {
  const options = ['rbind', opts.propagation ?? 'rprivate'];
  if (opts.readonly === true) options.push('ro');
  return { destination, type: 'bind', source, options };
}

const depth = (p: string): number => p.split('/').length;

/**
 * Adds mounts on top of what the spec has. As in Docker, a new mount replaces an existing one
 * with the same destination, and a mount at /dev also drops the defaults under /dev. The new
 * mounts are ordered parents-first (stable by depth), so `/data` is mounted before `/data/x`.
 */
export function withMounts(mounts: readonly Mount[]): SpecOpt {
  const added = mounts.map(validMount).sort((a, b) => depth(a.destination) - depth(b.destination));
  const seen = new Set<string>();
  for (const m of added) {
    if (seen.has(m.destination)) throw invalidParameter(`duplicate mount point: ${m.destination}`);
    seen.add(m.destination);
  }
  return (spec) => {
    const kept = (spec.mounts ?? []).filter(
      (m) =>
        !seen.has(cleanPath(m.destination)) &&
        !(seen.has('/dev') && m.destination.startsWith('/dev/')),
    );
    spec.mounts = [...kept, ...added.map((m) => ({ ...m, options: [...(m.options ?? [])] }))];
  };
}

function validMount(m: Mount): Mount {
  requireAbsolutePath('mount destination', m.destination);
  if (m.source !== undefined) requireNoNul('mount source', m.source);
  if (m.type !== undefined) requireNoNul('mount type', m.type);
  m.options?.forEach((o) => requireNoNul('mount option', o));
  const out: Mount = { destination: cleanPath(m.destination) };
  if (out.destination === '/') throw invalidParameter('cannot mount over the container root "/"');
  if (m.type !== undefined) out.type = m.type;
  if (m.source !== undefined) out.source = m.source;
  if (m.options !== undefined) out.options = [...m.options];
  return out;
}
