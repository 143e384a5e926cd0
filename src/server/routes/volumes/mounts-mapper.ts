import type { HostConfig, Mount, MountPoint } from '../../../api/index.js';
import type {
  MountSpec,
  MountsRequest,
  ResolvedMount,
} from '../../../services/containers/mounts/types.js';
import type { Container } from '../../../services/containers/types.js';

type Nullable<T> = { [K in keyof T]?: T[K] | null | undefined };

/** Drops null and undefined values (the lenient request schema allows null anywhere). */
function defined<T>(o: Record<string, unknown>): T {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== null && v !== undefined),
  ) as T;
}

/** One HostConfig.Mounts entry in the service's casing. */
function mountSpec(m: Nullable<Mount>): MountSpec {
  const b = m.BindOptions;
  const v = m.VolumeOptions;
  const t = m.TmpfsOptions;
  const dc = v?.DriverConfig;
  return defined<MountSpec>({
    type: m.Type ?? '',
    source: m.Source,
    target: m.Target,
    readOnly: m.ReadOnly,
    bindOptions: b
      ? defined<NonNullable<MountSpec['bindOptions']>>({
          propagation: b.Propagation,
          nonRecursive: b.NonRecursive,
          createMountpoint: b.CreateMountpoint,
        })
      : undefined,
    volumeOptions: v
      ? defined<NonNullable<MountSpec['volumeOptions']>>({
          noCopy: v.NoCopy,
          labels: v.Labels,
          driverConfig: dc ? defined({ name: dc.Name, options: dc.Options }) : undefined,
          subpath: v.Subpath,
        })
      : undefined,
    tmpfsOptions: t ? defined({ sizeBytes: t.SizeBytes, mode: t.Mode }) : undefined,
  });
}

/**
 * The mount fields of a create body (HostConfig.Binds/Mounts/Tmpfs/VolumesFrom, Config.Volumes);
 * undefined when it sets none.
 */
export function mountsFromBody(
  hc: Nullable<Pick<HostConfig, 'Binds' | 'Mounts' | 'Tmpfs' | 'VolumesFrom'>>,
  volumes: Record<string, unknown> | null | undefined,
): MountsRequest | undefined {
  const req: MountsRequest = {};
  if (hc.Binds && hc.Binds.length > 0) req.binds = hc.Binds;
  if (hc.Mounts && hc.Mounts.length > 0) req.mounts = hc.Mounts.map(mountSpec);
  if (hc.Tmpfs && Object.keys(hc.Tmpfs).length > 0) req.tmpfs = hc.Tmpfs;
  if (hc.VolumesFrom && hc.VolumesFrom.length > 0) req.volumesFrom = hc.VolumesFrom;
  if (volumes && Object.keys(volumes).length > 0) req.volumes = Object.keys(volumes);
  return Object.keys(req).length > 0 ? req : undefined;
}

/** inspect's `Mounts` (and ps's): one MountPoint per volume, bind and tmpfs. */
export function mountPointsOf(c: Container): MountPoint[] {
  return (c.config.mounts ?? []).map((m: ResolvedMount): MountPoint => {
    const base = {
      Destination: m.destination,
      Mode: m.mode,
      RW: m.rw,
      Propagation: m.propagation,
    };
    if (m.type === 'volume') {
      return {
        Type: 'volume',
        Name: m.source,
        Source: c.volumePaths?.[m.source] ?? '',
        Driver: m.driver ?? 'local',
        ...base,
      };
    }
    if (m.type === 'bind') return { Type: 'bind', Source: m.source, ...base };
    return { Type: 'tmpfs', Source: '', ...base };
  });
}

/** HostConfig's mount fields echoed as the user gave them (left out when unset). */
export function mountsHostConfigOf(
  c: Container,
): Pick<HostConfig, 'Binds' | 'Mounts' | 'Tmpfs' | 'VolumesFrom'> {
  const r = c.config.mountsRequest ?? {};
  const out: Pick<HostConfig, 'Binds' | 'Mounts' | 'Tmpfs' | 'VolumesFrom'> = {};
  if (r.binds) out.Binds = r.binds;
  if (r.volumesFrom) out.VolumesFrom = r.volumesFrom;
  if (r.mounts) out.Mounts = r.mounts.map(mountOfSpec);
  if (r.tmpfs) out.Tmpfs = r.tmpfs;
  return out;
}

function mountOfSpec(m: MountSpec): Mount {
  const out: Mount = { Type: m.type as NonNullable<Mount['Type']>, Target: m.target ?? '' };
  if (m.source) out.Source = m.source;
  if (m.readOnly) out.ReadOnly = true;
  if (m.bindOptions?.propagation) {
    out.BindOptions = { Propagation: m.bindOptions.propagation as 'rprivate' };
  }
  const v = m.volumeOptions;
  if (v) {
    out.VolumeOptions = {};
    if (v.noCopy) out.VolumeOptions.NoCopy = true;
    if (v.labels) out.VolumeOptions.Labels = v.labels;
    if (v.driverConfig) {
      out.VolumeOptions.DriverConfig = {
        ...(v.driverConfig.name ? { Name: v.driverConfig.name } : {}),
        ...(v.driverConfig.options ? { Options: v.driverConfig.options } : {}),
      };
    }
  }
  if (m.tmpfsOptions) {
    out.TmpfsOptions = {
      ...(m.tmpfsOptions.sizeBytes ? { SizeBytes: m.tmpfsOptions.sizeBytes } : {}),
      ...(m.tmpfsOptions.mode ? { Mode: m.tmpfsOptions.mode } : {}),
    };
  }
  return out;
}

/** Config.Volumes: the destinations the request listed (left out when none). */
export function configVolumesOf(c: Container): { Volumes?: Record<string, Record<string, never>> } {
  const v = c.config.mountsRequest?.volumes;
  if (!v || v.length === 0) return {};
  return { Volumes: Object.fromEntries(v.map((d) => [d, {}])) };
}
