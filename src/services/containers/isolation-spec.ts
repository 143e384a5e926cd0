/**
 * Adds a container's devices, devices-cgroup rules and block I/O settings to its spec at start.
 * Device paths are resolved now (the host's nodes may differ from when it was created).
 */
import { withBlockIO } from '../../oci/options/block-io.js';
import { withDevices } from '../../oci/options/devices.js';
import type { Spec } from '../../oci/types.js';
import { blockIOFor, detectBlkioSupport, type BlkioSupport } from './blkio.js';
import { deviceSpecOf, normalizeDeviceMapping } from './devices.js';
import type { ContainerResources } from './resources.js';

/**
 * Applies, in place, the devices and block I/O options of `r` (a full ContainerResources) and
 * returns the warnings for block I/O options the host cannot apply (left out, as Docker does).
 * Throws InvalidParameter when a device or block device is gone from the host.
 */
export function applyIsolation(
  spec: Spec,
  r: ContainerResources,
  support: BlkioSupport = detectBlkioSupport(),
): string[] {
  const devs = deviceSpecOf(r.devices.map(normalizeDeviceMapping), r.deviceCgroupRules);
  withDevices(devs.devices, devs.rules)(spec);
  const { input, warnings } = blockIOFor(r, support);
  withBlockIO(input)(spec);
  return warnings;
}
