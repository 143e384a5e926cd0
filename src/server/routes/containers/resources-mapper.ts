import type { HostConfig } from '../../../api/index.js';
import type { ContainerResources } from '../../../services/containers/resources.js';
import { invalidParameter } from '../../../errors/index.js';

const bad = (field: string): never => {
  throw invalidParameter(`invalid HostConfig.${field}`);
};

/** A list of objects (null/absent = none); anything else is a 400 naming the field. */
function objects(h: Record<string, unknown>, field: string): Record<string, unknown>[] {
  const v = h[field];
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) return bad(field);
  return v.map((o: unknown) =>
    typeof o === 'object' && o !== null && !Array.isArray(o)
      ? (o as Record<string, unknown>)
      : bad(field),
  );
}

function text(field: string, v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : bad(field);
}

function count(field: string, v: unknown): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : bad(field);
}

/** The device and block I/O fields (Docker's Resources besides the limits). */
function deviceFields(h: Record<string, unknown>, out: Partial<ContainerResources>): void {
  const devices = objects(h, 'Devices').map((d) => ({
    pathOnHost: text('Devices', d.PathOnHost),
    pathInContainer: text('Devices', d.PathInContainer),
    cgroupPermissions: text('Devices', d.CgroupPermissions),
  }));
  if (devices.length > 0) out.devices = devices;
  const rules = h.DeviceCgroupRules;
  if (rules !== null && rules !== undefined) {
    if (!Array.isArray(rules) || !rules.every((r) => typeof r === 'string')) {
      bad('DeviceCgroupRules');
    }
    if ((rules as string[]).length > 0) out.deviceCgroupRules = rules as string[];
  }
  const parent = text('CgroupParent', h.CgroupParent);
  if (parent !== '') out.cgroupParent = parent;
  const weight = count('BlkioWeight', h.BlkioWeight);
  if (weight !== 0) out.blkioWeight = weight;
  const wd = objects(h, 'BlkioWeightDevice').map((w) => ({
    path: text('BlkioWeightDevice', w.Path),
    weight: count('BlkioWeightDevice', w.Weight),
  }));
  if (wd.length > 0) out.blkioWeightDevice = wd;
  for (const [key, field] of [
    ['blkioDeviceReadBps', 'BlkioDeviceReadBps'],
    ['blkioDeviceWriteBps', 'BlkioDeviceWriteBps'],
    ['blkioDeviceReadIOps', 'BlkioDeviceReadIOps'],
    ['blkioDeviceWriteIOps', 'BlkioDeviceWriteIOps'],
  ] as const) {
    const list = objects(h, field).map((t) => ({
      path: text(field, t.Path),
      rate: count(field, t.Rate),
    }));
    if (list.length > 0) out[key] = list;
  }
}

/**
 * The resource fields of a create or update body, as the service's limits; undefined when none is
 * set. Docker's nulls and zeros mean unset; a PidsLimit of 0 or -1 means unlimited.
 */
export function resourcesFromHostConfig(
  hc: HostConfig | Record<string, unknown>,
): Partial<ContainerResources> | undefined {
  const h = hc as Record<string, unknown>;
  const num = (k: string): number | undefined =>
    typeof h[k] === 'number' && h[k] !== 0 ? (h[k] as number) : undefined;
  const str = (k: string): string | undefined =>
    typeof h[k] === 'string' && h[k] !== '' ? (h[k] as string) : undefined;
  const out: Partial<ContainerResources> = {};
  const set = <K extends keyof ContainerResources>(
    k: K,
    v: ContainerResources[K] | undefined,
  ): void => {
    if (v !== undefined) out[k] = v;
  };
  set('memory', num('Memory'));
  set('memorySwap', num('MemorySwap'));
  set('memoryReservation', num('MemoryReservation'));
  set('nanoCpus', num('NanoCpus'));
  set('cpuShares', num('CpuShares'));
  set('cpuQuota', num('CpuQuota'));
  set('cpuPeriod', num('CpuPeriod'));
  set('cpusetCpus', str('CpusetCpus'));
  set('cpusetMems', str('CpusetMems'));
  const pids = num('PidsLimit');
  if (pids !== undefined && pids > 0) out.pidsLimit = pids;
  if (h['OomKillDisable'] === true) out.oomKillDisable = true;
  // null (the docker CLI's default) and -1 leave the kernel's swappiness; 0 is a value.
  const swappiness = h['MemorySwappiness'];
  if (swappiness !== null && swappiness !== undefined && swappiness !== -1) {
    out.memorySwappiness = typeof swappiness === 'number' ? swappiness : bad('MemorySwappiness');
  }
  deviceFields(h, out);
  return Object.keys(out).length > 0 ? out : undefined;
}
