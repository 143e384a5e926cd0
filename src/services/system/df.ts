import { invalidParameter } from '../../errors/index.js';
import type { BuildCacheRecord } from '../build/cache-usage.js';
import type { Container } from '../containers/types.js';
import type { Image } from '../images/types.js';

/** The object types GET /system/df may be narrowed to (`type=`, API ≥ 1.42). */
export type DiskUsageType = 'container' | 'image' | 'volume' | 'build-cache';
const allTypes: readonly DiskUsageType[] = ['container', 'image', 'volume', 'build-cache'];

/** A volume as df reports it (the volumes service's view with usage). */
export interface VolumeUsage {
  name: string;
  driver: string;
  mountpoint: string;
  createdAt: string;
  labels: Record<string, string>;
  scope: string;
  options: Record<string, string>;
  usage?: { size: number; refCount: number };
}

/** What df reads; `volumes` is absent until a volumes service is wired. */
export interface DiskUsageDeps {
  images: { list(): Promise<Image[]> };
  containers: {
    list(opts: { all: boolean; limit: number; filters: Record<string, string[]> }): Container[];
    sizes(ids: readonly string[]): Promise<Map<string, { sizeRw: number; sizeRootFs: number }>>;
  };
  /** Bytes of one committed layer on disk; without it the image records' layer sizes are used. */
  layerSize?: (chainId: string) => Promise<number>;
  volumes?: {
    list(
      filters: Record<string, string[]>,
      opts: { usage: boolean },
    ): Promise<{ volumes: VolumeUsage[] }>;
  };
  /** The builder's cache records, given the images containers use; none without a builder. */
  buildCache?: (containerImages: ReadonlySet<string>) => Promise<BuildCacheRecord[]>;
}

/** One image with Docker's df accounting. */
export interface ImageUsage {
  image: Image;
  /** Bytes of this image's layers that other images use too. */
  sharedSize: number;
  /** Containers (any state) created from it. */
  containers: number;
}

/** GET /system/df, before it is shaped for an API version. Unasked types are undefined. */
export interface DiskUsage {
  layersSize?: number;
  images?: ImageUsage[];
  containers?: { container: Container; sizeRw: number; sizeRootFs: number }[];
  volumes?: VolumeUsage[];
  buildCache?: BuildCacheRecord[];
}

/** Parses `type=` values (repeatable); none means every type. InvalidParameter for others. */
export function diskUsageTypes(values: readonly string[]): Set<DiskUsageType> {
  if (values.length === 0) return new Set(allTypes);
  for (const v of values)
    if (!allTypes.includes(v as DiskUsageType)) throw invalidParameter(`invalid type: ${v}`);
  return new Set(values as DiskUsageType[]);
}

/**
 * Docker's disk usage: every committed layer counted once (LayersSize); per image the bytes it
 * shares with other images and how many containers use it; per container SizeRw and SizeRootFs;
 * volumes with UsageData; the classic builder's cache records. Only the asked types are
 * computed (sizing containers walks their writable layers).
 */
export async function diskUsage(
  deps: DiskUsageDeps,
  types: Set<DiskUsageType>,
): Promise<DiskUsage> {
  const out: DiskUsage = {};
  const containers = deps.containers.list({ all: true, limit: -1, filters: {} });
  if (types.has('image')) {
    const images = await deps.images.list();
    const users = new Map<string, number>();
    for (const img of images)
      for (const l of new Set(img.layers.map((x) => x.chainId)))
        users.set(l, (users.get(l) ?? 0) + 1);
    const sizes = new Map<string, number>();
    for (const img of images)
      for (const l of img.layers) {
        if (sizes.has(l.chainId)) continue;
        const s = deps.layerSize ? await deps.layerSize(l.chainId).catch(() => l.size) : l.size;
        sizes.set(l.chainId, s);
      }
    out.layersSize = [...sizes.values()].reduce((a, b) => a + b, 0);
    out.images = images.map((image) => ({
      image,
      sharedSize: [...new Set(image.layers.map((l) => l.chainId))]
        .filter((l) => (users.get(l) ?? 0) > 1)
        .reduce((a, l) => a + (sizes.get(l) ?? 0), 0),
      containers: containers.filter((c) => c.imageId === image.id).length,
    }));
  }
  if (types.has('container')) {
    const sizes = await deps.containers.sizes(containers.map((c) => c.id));
    out.containers = containers.map((container) => {
      const s = sizes.get(container.id) ?? { sizeRw: 0, sizeRootFs: 0 };
      return { container, sizeRw: s.sizeRw, sizeRootFs: s.sizeRootFs };
    });
  }
  if (types.has('volume'))
    out.volumes = deps.volumes ? (await deps.volumes.list({}, { usage: true })).volumes : [];
  if (types.has('build-cache')) {
    const used = new Set(containers.map((c) => c.imageId));
    out.buildCache = deps.buildCache ? await deps.buildCache(used) : [];
  }
  return out;
}
