import { checkVolumeName } from '../../volumes/names.js';
import { mountConfigError, notAbsolute } from './errors.js';
import { propagations } from './parse-bind.js';
import { checkNoNul, checkNotRoot, cleanAbsolute } from './paths.js';
import { tmpfsMountOptions } from './tmpfs-options.js';
import type { MountSpec, ResolvedMount } from './types.js';

const maxTmpfsMode = 0o7777;

/** Rejects option blocks that do not belong to the mount's type, as Docker does. */
function checkForeignOptions(m: MountSpec): void {
  const foreign: [string, unknown][] = [
    ['BindOptions', m.type !== 'bind' ? m.bindOptions : undefined],
    ['VolumeOptions', m.type !== 'volume' ? m.volumeOptions : undefined],
    ['TmpfsOptions', m.type !== 'tmpfs' ? m.tmpfsOptions : undefined],
  ];
  for (const [field, v] of foreign) {
    if (v !== undefined && v !== null) {
      throw mountConfigError(m.type, `field ${field} must not be specified`);
    }
  }
}

/**
 * Validates one HostConfig.Mounts entry with Docker's messages. A bind's source must exist unless
 * CreateMountpoint: `exists` answers that (the caller checks the host).
 */
export function parseMount(m: MountSpec, exists: (path: string) => boolean): ResolvedMount {
  const type = m.type;
  if (type !== 'bind' && type !== 'volume' && type !== 'tmpfs') {
    throw mountConfigError(type, 'mount type unknown');
  }
  const target = m.target ?? '';
  if (target === '') throw mountConfigError(type, 'field Target must not be empty');
  checkNoNul('mount target', target);
  const destination = cleanAbsolute(target);
  if (destination === undefined) throw mountConfigError(type, notAbsolute(target));
  checkNotRoot(destination);
  checkForeignOptions(m);
  const rw = m.readOnly !== true;
  const source = m.source ?? '';
  checkNoNul('mount source', source);
  if (type === 'tmpfs') {
    if (source !== '') throw mountConfigError(type, 'field Source must not be specified');
    const t = m.tmpfsOptions ?? {};
    const opts: string[] = [];
    if (t.sizeBytes !== undefined && t.sizeBytes !== 0) {
      if (!Number.isInteger(t.sizeBytes) || t.sizeBytes < 0) {
        throw mountConfigError(type, `invalid tmpfs size ${t.sizeBytes}`);
      }
      opts.push(`size=${t.sizeBytes}`);
    }
    if (t.mode !== undefined && t.mode !== 0) {
      if (!Number.isInteger(t.mode) || t.mode < 0 || t.mode > maxTmpfsMode) {
        throw mountConfigError(type, `invalid tmpfs mode ${t.mode}`);
      }
      opts.push(`mode=${t.mode.toString(8)}`);
    }
    const tmpfsOptions = tmpfsMountOptions(opts.join(','), ['nosuid', 'nodev']);
    if (!rw) tmpfsOptions.push('ro');
    return { type, destination, source: '', rw, mode: '', propagation: '', tmpfsOptions };
  }
  if (type === 'bind') {
    if (source === '') throw mountConfigError(type, 'field Source must not be empty');
    const host = cleanAbsolute(source);
    if (host === undefined) throw mountConfigError(type, notAbsolute(source));
    const b = m.bindOptions ?? {};
    if (b.propagation && !propagations.has(b.propagation)) {
      throw mountConfigError(type, `invalid propagation mode: ${b.propagation}`);
    }
    if (!b.createMountpoint && !exists(host)) {
      throw mountConfigError(type, `bind source path does not exist: ${host}`);
    }
    return {
      type,
      destination,
      source: host,
      rw,
      mode: '',
      propagation: b.propagation || 'rprivate',
      ...(b.createMountpoint ? { createSource: true } : {}),
      ...(b.nonRecursive ? { nonRecursive: true } : {}),
    };
  }
  const v = m.volumeOptions ?? {};
  if (v.subpath) throw mountConfigError(type, 'volume subpaths are not supported by this engine');
  if (source !== '') checkVolumeName(source);
  const driver = v.driverConfig?.name || 'local';
  const create = {
    ...(v.labels ? { labels: v.labels } : {}),
    driver,
    ...(v.driverConfig?.options ? { driverOpts: v.driverConfig.options } : {}),
  };
  return {
    type,
    destination,
    source,
    rw,
    mode: '',
    propagation: '',
    driver,
    create,
    ...(v.noCopy ? { noCopy: true } : {}),
    ...(source === '' ? { anonymous: true } : {}),
  };
}
