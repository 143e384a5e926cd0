import { linuxOf, resourcesOf, type SpecOpt } from '../spec-opt.js';
import type { LinuxDevice, LinuxDeviceCgroup } from '../types.js';
import { requireAbsolutePath, requireInt, UINT32_MAX } from '../validate.js';
import { invalidParameter } from '../../errors/index.js';

/**
 * Adds device nodes (`linux.devices`, created by runc in the container) and devices-cgroup
 * rules. Rules are appended after the ones already there (Docker's defaults), so a later allow
 * wins over the default deny-all; the default `deny c 10:229` stays before them, as in Docker.
 */
export function withDevices(
  devices: readonly LinuxDevice[],
  rules: readonly LinuxDeviceCgroup[],
): SpecOpt {
  for (const d of devices) {
    requireAbsolutePath('device path', d.path);
    if (d.type !== 'c' && d.type !== 'b' && d.type !== 'u' && d.type !== 'p') {
      throw invalidParameter(`invalid device type: ${d.type}`);
    }
    for (const n of [d.major, d.minor, d.uid, d.gid]) {
      if (n !== undefined) requireInt('device number', n, 0, UINT32_MAX);
    }
  }
  for (const r of rules) {
    if (r.type !== undefined && !['a', 'b', 'c'].includes(r.type)) {
      throw invalidParameter(`invalid device cgroup type: ${r.type}`);
    }
    if (r.access !== undefined && !/^[rwm]{1,3}$/.test(r.access)) {
      throw invalidParameter(`invalid device cgroup access: ${r.access}`);
    }
  }
  const nodes = devices.map((d) => ({ ...d }));
  const allow = rules.map((r) => ({ ...r }));
  return (spec) => {
    if (nodes.length > 0) {
      const linux = linuxOf(spec);
      linux.devices = [...(linux.devices ?? []), ...nodes.map((d) => ({ ...d }))];
    }
    if (allow.length > 0) {
      const res = resourcesOf(spec);
      res.devices = [...(res.devices ?? []), ...allow.map((r) => ({ ...r }))];
    }
  };
}
