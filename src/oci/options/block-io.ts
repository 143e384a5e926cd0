import { resourcesOf, type SpecOpt } from '../spec-opt.js';
import type { LinuxBlockIo } from '../types.js';
import { requireInt, UINT32_MAX } from '../validate.js';

/** A per-device weight (`blkio.weight_device` on v1, `io.weight`/`io.bfq.weight` on v2). */
export interface BlockIODeviceWeight {
  major: number;
  minor: number;
  weight: number;
}

/** A per-device throttle (`blkio.throttle.*_device` on v1, `io.max` on v2). */
export interface BlockIOThrottle {
  major: number;
  minor: number;
  rate: number;
}

/**
 * The OCI `linux.resources.blockIO` fields runc writes to the cgroup: on v1 the blkio files, on
 * v2 `io.weight`/`io.bfq.weight` (weights, converted from 10–1000 to 1–10000) and `io.max`
 * (throttles as rbps/wbps/riops/wiops).
 */
export interface BlockIOInput {
  /** 10–1000; omitted = unset. */
  weight?: number;
  weightDevice?: BlockIODeviceWeight[];
  throttleReadBpsDevice?: BlockIOThrottle[];
  throttleWriteBpsDevice?: BlockIOThrottle[];
  throttleReadIOPSDevice?: BlockIOThrottle[];
  throttleWriteIOPSDevice?: BlockIOThrottle[];
}

type ThrottleKey = Exclude<keyof BlockIOInput, 'weight' | 'weightDevice'>;
const THROTTLES: readonly ThrottleKey[] = [
  'throttleReadBpsDevice',
  'throttleWriteBpsDevice',
  'throttleReadIOPSDevice',
  'throttleWriteIOPSDevice',
];

/** LinuxBlockIo with the per-device lists (the shared type has only the weights). */
type FullBlockIo = LinuxBlockIo & Omit<BlockIOInput, 'weight'>;

/** Sets `blockIO`; empty input leaves the spec without one (runc then writes nothing). */
export function withBlockIO(input: BlockIOInput): SpecOpt {
  const out: FullBlockIo = {};
  if (input.weight !== undefined) requireInt('blkio weight', (out.weight = input.weight), 10, 1000);
  const dev = (what: string, d: { major: number; minor: number }): void => {
    requireInt(`${what} major`, d.major, 0, UINT32_MAX);
    requireInt(`${what} minor`, d.minor, 0, UINT32_MAX);
  };
  if (input.weightDevice !== undefined && input.weightDevice.length > 0) {
    out.weightDevice = input.weightDevice.map((w) => {
      dev('blkio weight device', w);
      requireInt('blkio device weight', w.weight, 10, 1000);
      return { major: w.major, minor: w.minor, weight: w.weight };
    });
  }
  for (const key of THROTTLES) {
    const list = input[key];
    if (list === undefined || list.length === 0) continue;
    out[key] = list.map((t) => {
      dev(key, t);
      requireInt(`${key} rate`, t.rate, 0, Number.MAX_SAFE_INTEGER);
      return { major: t.major, minor: t.minor, rate: t.rate };
    });
  }
  return (spec) => {
    if (Object.keys(out).length === 0) return;
    const r = resourcesOf(spec);
    r.blockIO = { ...r.blockIO, ...structuredClone(out) } as LinuxBlockIo;
  };
}
