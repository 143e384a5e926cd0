/**
 * `--cgroup-parent` and `--cgroupns`, with the cgroupfs driver's rules (Berth drives runc with
 * cgroupfs, never systemd).
 */
import { existsSync } from 'node:fs';
import { invalidParameter } from '../../errors/index.js';

const SEGMENT = /^[A-Za-z0-9_.@:+-]+$/;

/**
 * Checks a `CgroupParent`: '' (the daemon's), or an absolute or relative path of plain
 * segments, never `.`/`..` (a parent must not climb out of the cgroup tree).
 */
export function checkCgroupParent(parent: string): void {
  if (parent === '') return;
  const segments = parent.split('/').filter((s) => s !== '');
  if (segments.length === 0 || segments.some((s) => s === '.' || s === '..' || !SEGMENT.test(s))) {
    throw invalidParameter(`invalid cgroup parent: "${parent}"`);
  }
}

/**
 * The absolute parent the container's cgroup goes under. A relative parent is taken, as
 * Docker's cgroupfs driver documents, relative to the init process's cgroup; Berth anchors it
 * at the root (where init sits on these hosts) rather than at the caller's own cgroup, which
 * runc would use and which differs per v1 controller (LOWLEVEL P2).
 */
export function containerCgroupParent(requested: string, daemonParent: string): string {
  if (requested === '') return daemonParent;
  return `/${requested
    .split('/')
    .filter((s) => s !== '')
    .join('/')}`;
}

/** The container's cgroup path: `<parent>/<id>`, as stats and tests find it. */
export function containerCgroupPath(requested: string, daemonParent: string, id: string): string {
  return `${containerCgroupParent(requested, daemonParent).replace(/\/+$/, '')}/${id}`;
}

/** True on a pure cgroup v2 host (the unified hierarchy mounted at the root). */
export function isCgroupV2(root = '/sys/fs/cgroup'): boolean {
  return existsSync(`${root}/cgroup.controllers`);
}

/**
 * The stored `CgroupnsMode`: 'host' or 'private'; '' takes Docker's default (private on
 * cgroup v2, host on v1). Docker's message for anything else.
 */
export function resolveCgroupnsMode(mode: string, v2 = isCgroupV2()): 'host' | 'private' {
  if (mode === '') return v2 ? 'private' : 'host';
  if (mode === 'host' || mode === 'private') return mode;
  throw invalidParameter(`invalid cgroup namespace mode: ${mode}`);
}
