import { existsSync } from 'node:fs';
import { release } from 'node:os';

/** The running kernel's major and minor version. */
export function kernelVersion(): { major: number; minor: number } {
  const [major = 0, minor = 0] = release().split(/[.-]/).map(Number);
  return { major, minor };
}

/**
 * '2' on a pure cgroup v2 host (cgroup.controllers at the root), '1' on v1 or hybrid hosts,
 * where the controllers live in v1 hierarchies.
 */
export function cgroupVersion(): '1' | '2' {
  return existsSync('/sys/fs/cgroup/cgroup.controllers') ? '2' : '1';
}
