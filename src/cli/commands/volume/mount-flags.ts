import type { HostConfig, Mount } from '../../../api/index.js';
import { UsageError } from '../../errors.js';

const units: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};

/** Docker's RAMInBytes: `64m`, `1g`, `512k`, `1048576` (binary units). */
export function ramInBytes(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtb]?)b?$/i.exec(s.trim());
  if (!m) throw new UsageError(`invalid size: '${s}'`);
  return Math.floor(Number(m[1]) * (units[(m[2] ?? '').toLowerCase()] ?? 1));
}

function boolValue(key: string, v: string | undefined): boolean {
  if (v === undefined) return true;
  const l = v.toLowerCase();
  if (l === 'true' || l === '1') return true;
  if (l === 'false' || l === '0') return false;
  throw new UsageError(`invalid value for ${key}: ${v}`);
}

/** `k=v` of a `volume-opt`/`volume-label` value. */
function pair(key: string, v: string | undefined): [string, string] {
  const eq = v?.indexOf('=') ?? -1;
  if (v === undefined || eq <= 0) throw new UsageError(`invalid value for ${key}: ${v ?? ''}`);
  return [v.slice(0, eq), v.slice(eq + 1)];
}

/** Parses one `--mount` value (`type=bind,source=/x,target=/y,readonly`) as docker's CLI does. */
export function parseMountFlag(value: string): Mount {
  const m: Mount = { Type: 'volume' };
  const vo: NonNullable<Mount['VolumeOptions']> = {};
  const bo: NonNullable<Mount['BindOptions']> = {};
  const to: NonNullable<Mount['TmpfsOptions']> = {};
  for (const field of value.split(',')) {
    if (field === '') continue;
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const v = eq < 0 ? undefined : field.slice(eq + 1);
    const need = (): string => {
      if (v === undefined)
        throw new UsageError(`invalid field '${field}' must be a key=value pair`);
      return v;
    };
    switch (key) {
      case 'type':
        m.Type = need() as Mount['Type'] & string;
        break;
      case 'source':
      case 'src':
        m.Source = need();
        break;
      case 'target':
      case 'destination':
      case 'dst':
        m.Target = need();
        break;
      case 'readonly':
      case 'ro':
        m.ReadOnly = boolValue(key, v);
        break;
      case 'consistency':
        m.Consistency = need();
        break;
      case 'bind-propagation':
        bo.Propagation = need() as 'rprivate';
        break;
      case 'bind-nonrecursive':
        bo.NonRecursive = boolValue(key, v);
        break;
      case 'bind-create-src':
        bo.CreateMountpoint = boolValue(key, v);
        break;
      case 'volume-nocopy':
        vo.NoCopy = boolValue(key, v);
        break;
      case 'volume-subpath':
        vo.Subpath = need();
        break;
      case 'volume-label': {
        const [k, x] = pair(key, v);
        vo.Labels = { ...vo.Labels, [k]: x };
        break;
      }
      case 'volume-driver':
        vo.DriverConfig = { ...vo.DriverConfig, Name: need() };
        break;
      case 'volume-opt': {
        const [k, x] = pair(key, v);
        vo.DriverConfig = { ...vo.DriverConfig, Options: { ...vo.DriverConfig?.Options, [k]: x } };
        break;
      }
      case 'tmpfs-size':
        to.SizeBytes = ramInBytes(need());
        break;
      case 'tmpfs-mode': {
        if (!/^[0-7]+$/.test(need())) throw new UsageError(`invalid value for tmpfs-mode: ${v}`);
        to.Mode = parseInt(need(), 8);
        break;
      }
      default:
        throw new UsageError(`unexpected key '${key}' in '${field}'`);
    }
  }
  if (Object.keys(vo).length > 0) m.VolumeOptions = vo;
  if (Object.keys(bo).length > 0) m.BindOptions = bo;
  if (Object.keys(to).length > 0) m.TmpfsOptions = to;
  return m;
}

/** The mount flags of `run`/`create`. */
export interface MountFlags {
  volume?: string[];
  mount?: string[];
  tmpfs?: string[];
  volumesFrom?: string[];
}

/**
 * `-v` (a lone container path becomes Config.Volumes, anything else HostConfig.Binds, as docker's
 * CLI does), `--mount`, `--tmpfs /dst[:opts]` and `--volumes-from` into the create body's fields.
 */
export function mountFieldsOf(f: MountFlags): {
  host: Pick<HostConfig, 'Binds' | 'Mounts' | 'Tmpfs' | 'VolumesFrom'>;
  volumes?: Record<string, Record<string, never>>;
} {
  const host: Pick<HostConfig, 'Binds' | 'Mounts' | 'Tmpfs' | 'VolumesFrom'> = {};
  const volumes: Record<string, Record<string, never>> = {};
  const binds: string[] = [];
  for (const v of f.volume ?? []) {
    if (v.startsWith('/') && !v.includes(':')) volumes[v] = {};
    else binds.push(v);
  }
  if (binds.length > 0) host.Binds = binds;
  if (f.mount?.length) host.Mounts = f.mount.map(parseMountFlag);
  if (f.tmpfs?.length) {
    host.Tmpfs = {};
    for (const t of f.tmpfs) {
      const colon = t.indexOf(':');
      host.Tmpfs[colon < 0 ? t : t.slice(0, colon)] = colon < 0 ? '' : t.slice(colon + 1);
    }
  }
  if (f.volumesFrom?.length) host.VolumesFrom = [...f.volumesFrom];
  return Object.keys(volumes).length > 0 ? { host, volumes } : { host };
}
