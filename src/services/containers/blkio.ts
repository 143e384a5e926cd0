/**
 * Block I/O options: `--blkio-weight`, `--blkio-weight-device` and the device throttles
 * (`--device-read-bps`, `--device-write-bps`, `--device-read-iops`, `--device-write-iops`).
 * Stored with the device paths as given (echoed in inspect); major:minor are resolved from the
 * paths when the spec is built. What the host's cgroups cannot do is left out with Docker's
 * warning instead of failing the start (runc would fail on the missing cgroup file).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { invalidParameter } from '../../errors/index.js';
import type { BlockIOInput, BlockIOThrottle } from '../../oci/options/block-io.js';
import { splitDev } from './devices.js';

/** `{Path, Weight}` of BlkioWeightDevice. */
export interface WeightDevice {
  path: string;
  weight: number;
}

/** `{Path, Rate}` of the throttle lists (bytes or operations per second). */
export interface ThrottleDevice {
  path: string;
  rate: number;
}

/** The block I/O part of a container's resources (0 / [] = unset). */
export interface BlkioResources {
  blkioWeight: number;
  blkioWeightDevice: WeightDevice[];
  blkioDeviceReadBps: ThrottleDevice[];
  blkioDeviceWriteBps: ThrottleDevice[];
  blkioDeviceReadIOps: ThrottleDevice[];
  blkioDeviceWriteIOps: ThrottleDevice[];
}

/** What the host's block I/O controller supports. */
export interface BlkioSupport {
  weight: boolean;
  weightDevice: boolean;
  throttle: boolean;
}

/** Docker's warnings when it discards a block I/O option the host cannot apply. */
export const BLKIO_WARNINGS = {
  weight:
    'Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.',
  weightDevice:
    'Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.',
  throttle:
    'Your kernel does not support throttle device limits or the cgroup is not mounted. Throttle discarded.',
} as const;

/**
 * Probes a cgroupfs tree (default the host's): v2 when `cgroup.controllers` is at the root (then
 * the `io` controller gives all three), else the v1 `blkio` hierarchy's files, as runc picks them
 * (the BFQ names first).
 */
export function detectBlkioSupport(root = '/sys/fs/cgroup'): BlkioSupport {
  const v2 = join(root, 'cgroup.controllers');
  if (existsSync(v2)) {
    const io = readFileSync(v2, 'utf8').split(/\s+/).includes('io');
    return { weight: io, weightDevice: io, throttle: io };
  }
  const has = (f: string): boolean => existsSync(join(root, 'blkio', f));
  return {
    weight: has('blkio.bfq.weight') || has('blkio.weight'),
    weightDevice: has('blkio.bfq.weight_device') || has('blkio.weight_device'),
    throttle: has('blkio.throttle.read_bps_device'),
  };
}

/** major:minor of a block device path; InvalidParameter when it is missing or no block device. */
export function blockDeviceNumbers(path: string): { major: number; minor: number } {
  let st;
  try {
    st = statSync(path, { bigint: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw invalidParameter(
      `error gathering block device information for "${path}": ${
        code === 'ENOENT' ? 'no such file or directory' : (e as Error).message
      }`,
    );
  }
  if (!st.isBlockDevice()) throw invalidParameter(`"${path}" is not a block device`);
  return splitDev(st.rdev);
}

const THROTTLE_LISTS = [
  ['blkioDeviceReadBps', 'BlkioDeviceReadBps'],
  ['blkioDeviceWriteBps', 'BlkioDeviceWriteBps'],
  ['blkioDeviceReadIOps', 'BlkioDeviceReadIOps'],
  ['blkioDeviceWriteIOps', 'BlkioDeviceWriteIOps'],
] as const;

/**
 * Checks values with Docker's messages; with `devices` also that each path is a block device
 * on this host (create does, update does not re-check stored paths).
 */
export function checkBlkio(r: BlkioResources, opts: { devices: boolean }): void {
  if (
    r.blkioWeight !== 0 &&
    (r.blkioWeight < 10 || r.blkioWeight > 1000 || !Number.isInteger(r.blkioWeight))
  ) {
    throw invalidParameter('Range of blkio weight is from 10 to 1000');
  }
  for (const w of r.blkioWeightDevice) {
    if (!Number.isInteger(w.weight) || w.weight < 10 || w.weight > 1000) {
      throw invalidParameter(`invalid weight for device: ${w.path}:${w.weight}`);
    }
  }
  for (const [key, field] of THROTTLE_LISTS) {
    for (const t of r[key]) {
      if (!Number.isSafeInteger(t.rate) || t.rate < 0) {
        throw invalidParameter(`invalid rate for device in ${field}: ${t.path}:${t.rate}`);
      }
    }
  }
  const paths = [r.blkioWeightDevice, ...THROTTLE_LISTS.map(([k]) => r[k])]
    .flat()
    .map((d) => d.path);
  for (const p of paths) {
    if (!p.startsWith('/') || p.includes('\0')) throw invalidParameter(`invalid device path: ${p}`);
    if (opts.devices) blockDeviceNumbers(p);
  }
}

const throttles = (list: ThrottleDevice[]): BlockIOThrottle[] =>
  list.map((t) => ({ ...blockDeviceNumbers(t.path), rate: t.rate }));

/**
 * The spec's blockIO for these options, resolving device paths now, and the Docker warnings
 * for what `support` says the host cannot apply (left out).
 */
export function blockIOFor(
  r: BlkioResources,
  support: BlkioSupport,
): { input: BlockIOInput; warnings: string[] } {
  const input: BlockIOInput = {};
  const warnings: string[] = [];
  if (r.blkioWeight > 0) {
    if (support.weight) input.weight = r.blkioWeight;
    else warnings.push(BLKIO_WARNINGS.weight);
  }
  if (r.blkioWeightDevice.length > 0) {
    if (support.weightDevice) {
      input.weightDevice = r.blkioWeightDevice.map((w) => ({
        ...blockDeviceNumbers(w.path),
        weight: w.weight,
      }));
    } else warnings.push(BLKIO_WARNINGS.weightDevice);
  }
  if (THROTTLE_LISTS.some(([k]) => r[k].length > 0)) {
    if (support.throttle) {
      input.throttleReadBpsDevice = throttles(r.blkioDeviceReadBps);
      input.throttleWriteBpsDevice = throttles(r.blkioDeviceWriteBps);
      input.throttleReadIOPSDevice = throttles(r.blkioDeviceReadIOps);
      input.throttleWriteIOPSDevice = throttles(r.blkioDeviceWriteIOps);
    } else warnings.push(BLKIO_WARNINGS.throttle);
  }
  return { input, warnings };
}
