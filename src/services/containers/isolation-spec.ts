/**
 * Adds a container's devices, devices-cgroup rules, block I/O settings and memory swappiness to
 * its spec at start. Device paths are resolved now (the host's nodes may differ from when it was
 * created).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { withBlockIO } from '../../oci/options/block-io.js';
import { withDevices } from '../../oci/options/devices.js';
import type { Spec } from '../../oci/types.js';
import { blockIOFor, detectBlkioSupport, type BlkioSupport } from './blkio.js';
import { deviceSpecOf, normalizeDeviceMapping } from './devices.js';
import type { ContainerResources } from './resources.js';

/** Docker's warning when the host has no per-cgroup swappiness (cgroup v2 has none). */
export const SWAPPINESS_WARNING =
  'Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. Memory swappiness discarded.';

/** True when the host's memory controller takes a swappiness (cgroup v1's memory.swappiness). */
export function detectSwappinessSupport(root = '/sys/fs/cgroup'): boolean {
  if (existsSync(join(root, 'cgroup.controllers'))) return false;
  return existsSync(join(root, 'memory', 'memory.swappiness'));
}

/**
 * Applies, in place, the devices, block I/O options and swappiness of `r` (a full
 * ContainerResources) and returns the warnings for options the host cannot apply (left out, as
 * Docker does). Throws InvalidParameter when a device or block device is gone from the host.
 */
export function applyIsolation(
  spec: Spec,
  r: ContainerResources,
  support: BlkioSupport = detectBlkioSupport(),
  swappiness: boolean = detectSwappinessSupport(),
): string[] {
  const devs = deviceSpecOf(r.devices.map(normalizeDeviceMapping), r.deviceCgroupRules);
  withDevices(devs.devices, devs.rules)(spec);
  const { input, warnings } = blockIOFor(r, support);
  withBlockIO(input)(spec);
  if (r.memorySwappiness >= 0) {
    if (!swappiness) return [...warnings, SWAPPINESS_WARNING];
    const res = ((spec.linux ??= {}).resources ??= {});
    res.memory = { ...res.memory, swappiness: r.memorySwappiness };
  }
  return warnings;
}
