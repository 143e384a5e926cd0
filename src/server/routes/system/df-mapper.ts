import type { SystemDataUsageResponse, Volume } from '../../../api/index.js';
import type { BuildCacheRecord } from '../../../services/build/cache-usage.js';
import type { DiskUsage, VolumeUsage } from '../../../services/system/df.js';
import { compareVersions } from '../../api-version.js';
import { toSummary } from '../containers/view-mapper.js';
import { toImageSummary } from '../images/mappers.js';

/** Docker's `Volume` with UsageData (Size -1 when unknown, as Docker reports). */
function toVolume(v: VolumeUsage): Volume {
  return {
    Name: v.name,
    Driver: v.driver,
    Mountpoint: v.mountpoint,
    CreatedAt: v.createdAt,
    Labels: v.labels,
    Scope: v.scope === 'global' ? 'global' : 'local',
    Options: v.options,
    UsageData: { Size: v.usage?.size ?? -1, RefCount: v.usage?.refCount ?? -1 },
  };
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/** Docker's `BuildCache` record (`Parent` too before API 1.42, which dropped it). */
function toBuildCache(r: BuildCacheRecord, apiVersion: string): Record<string, unknown> {
  return {
    ID: r.id,
    ...(compareVersions(apiVersion, '1.42') < 0 ? { Parent: r.parents[0] ?? '' } : {}),
    Parents: r.parents,
    Type: 'regular',
    Description: r.description,
    InUse: r.inUse,
    Shared: r.shared,
    Size: r.size,
    CreatedAt: r.createdAt,
    LastUsedAt: r.lastUsedAt,
    UsageCount: r.usageCount,
  };
}

/** The pre-1.52 shape (`docker system df` of CLIs up to 28): flat lists per type. */
function legacy(du: DiskUsage, apiVersion: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (du.images) {
    out['LayersSize'] = du.layersSize ?? 0;
    out['Images'] = du.images.map((i) => ({
      ...toImageSummary(i.image, i.containers),
      SharedSize: i.sharedSize,
    }));
  }
  if (du.containers) out['Containers'] = du.containers.map((c) => toSummary(c.container, c));
  if (du.volumes) out['Volumes'] = du.volumes.map(toVolume);
  if (du.buildCache) out['BuildCache'] = du.buildCache.map((r) => toBuildCache(r, apiVersion));
  return out;
}

/** The 1.52+ shape: counts and sizes per type, the items only when `verbose`. */
function current(du: DiskUsage, apiVersion: string, verbose: boolean): SystemDataUsageResponse {
  const out: SystemDataUsageResponse = {};
  if (du.images) {
    const active = du.images.filter((i) => i.containers > 0);
    const used = new Map<string, number>();
    for (const i of active) for (const l of i.image.layers) used.set(l.chainId, l.size);
    const activeSize =
      sum(active.map((i) => i.image.size - i.sharedSize)) +
      sum(active.map((i) => i.sharedSize)) / Math.max(active.length, 1);
    const total = du.layersSize ?? 0;
    out.ImageUsage = {
      ActiveCount: active.length,
      TotalCount: du.images.length,
      TotalSize: total,
      Reclaimable: Math.max(0, Math.round(total - activeSize)),
      ...(verbose
        ? {
            Items: du.images.map((i) => ({
              ...toImageSummary(i.image, i.containers),
              SharedSize: i.sharedSize,
            })),
          }
        : {}),
    };
  }
  if (du.containers) {
    const isActive = (s: string): boolean =>
      s === 'running' || s === 'paused' || s === 'restarting';
    const idle = du.containers.filter((c) => !isActive(c.container.state.status));
    out.ContainerUsage = {
      ActiveCount: du.containers.length - idle.length,
      TotalCount: du.containers.length,
      TotalSize: sum(du.containers.map((c) => c.sizeRw)),
      Reclaimable: sum(idle.map((c) => c.sizeRw)),
      ...(verbose ? { Items: du.containers.map((c) => toSummary(c.container, c)) } : {}),
    };
  }
  if (du.volumes) {
    const size = (v: VolumeUsage): number => Math.max(0, v.usage?.size ?? 0);
    const unused = du.volumes.filter((v) => (v.usage?.refCount ?? 0) === 0);
    out.VolumeUsage = {
      ActiveCount: du.volumes.length - unused.length,
      TotalCount: du.volumes.length,
      TotalSize: sum(du.volumes.map(size)),
      Reclaimable: sum(unused.map(size)),
      ...(verbose ? { Items: du.volumes.map(toVolume) } : {}),
    };
  }
  if (du.buildCache) {
    // As the docker CLI sums the legacy list: shared records' bytes belong to what shares them.
    const own = du.buildCache.filter((r) => !r.shared);
    out.BuildCacheUsage = {
      ActiveCount: du.buildCache.filter((r) => r.inUse).length,
      TotalCount: du.buildCache.length,
      TotalSize: sum(own.map((r) => r.size)),
      Reclaimable: sum(own.filter((r) => !r.inUse).map((r) => r.size)),
      ...(verbose ? { Items: du.buildCache.map((r) => toBuildCache(r, apiVersion)) } : {}),
    };
  }
  return out;
}

/** GET /system/df's body for the client's API version. */
export function toDiskUsageBody(du: DiskUsage, apiVersion: string, verbose: boolean): object {
  return compareVersions(apiVersion, '1.52') < 0
    ? legacy(du, apiVersion)
    : current(du, apiVersion, verbose);
}
