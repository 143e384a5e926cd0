import type { Image } from '../images/types.js';

/** One build cache record as GET /system/df reports it (Docker's `BuildCache` fields). */
export interface BuildCacheRecord {
  /** The build-step image's id, without `sha256:`. */
  id: string;
  /** The record it was built on, when that is a build cache record too. */
  parents: string[];
  /** The step (the image's last history entry). */
  description: string;
  /** A container uses the step's image. */
  inUse: boolean;
  /** Something besides the cache keeps the image or its layer (a named image, a container). */
  shared: boolean;
  /** Bytes of the layer the step added (0 for a step that changed no file). */
  size: number;
  createdAt: string;
  /** The last cache hit, or the creation time when it has had none. */
  lastUsedAt: string;
  /** The build that made it plus one per cache hit. */
  usageCount: number;
}

/** A row of the build cache (see BuildCacheRepository.list). */
export interface CacheEntry {
  parentId: string;
  imageId: string;
  createdAt: string;
  /** Null: no hit since it was created. */
  lastUsedAt: string | null;
  usageCount: number;
}

const hex = (id: string): string => id.replace(/^sha256:/, '');

/**
 * The chain id of the layer an image added on top of its parent, or null when its last step
 * recorded an empty layer (metadata steps, a RUN that changed nothing).
 */
export function introducedChain(img: Image): string | null {
  const history = img.config.history ?? [];
  const last = history[history.length - 1];
  if (last === undefined || last.empty_layer === true) return null;
  return img.layers[img.layers.length - 1]?.chainId ?? null;
}

/**
 * The images that something other than the build cache keeps: named ones, ones a container uses
 * and every ancestor of those (their layers are part of them). What is left is what
 * `POST /build/prune` removes.
 */
export function keptImages(
  images: readonly Image[],
  containerImages: ReadonlySet<string>,
): Set<string> {
  const byId = new Map(images.map((i) => [i.id, i]));
  const kept = new Set<string>();
  for (const img of images) {
    const named = img.repoTags.length > 0 || img.repoDigests.length > 0;
    if (!named && !containerImages.has(img.id)) continue;
    for (let cur: Image | undefined = img; cur && !kept.has(cur.id);) {
      kept.add(cur.id);
      cur = cur.parentId ? byId.get(cur.parentId) : undefined;
    }
  }
  return kept;
}

/**
 * The use of an image's entries together (several steps may have produced the same image):
 * the latest hit and the sum of the counts.
 */
function usageOf(
  entries: readonly CacheEntry[],
  imageId: string,
): { lastUsedAt: string | null; usageCount: number } {
  let lastUsedAt: string | null = null;
  let usageCount = 0;
  for (const e of entries) {
    if (e.imageId !== imageId) continue;
    usageCount += e.usageCount;
    if (
      e.lastUsedAt !== null &&
      (lastUsedAt === null || Date.parse(e.lastUsedAt) > Date.parse(lastUsedAt))
    )
      lastUsedAt = e.lastUsedAt;
  }
  return { lastUsedAt, usageCount };
}

/**
 * The build cache as records: one per cached step whose image is still stored. A record is
 * shared when its image is kept by something else, or its layer is part of a kept image; sizes
 * are measured once per layer with `layerSize`.
 */
export async function buildCacheRecords(
  entries: readonly CacheEntry[],
  images: readonly Image[],
  containerImages: ReadonlySet<string>,
  layerSize: (chainId: string) => Promise<number>,
): Promise<BuildCacheRecord[]> {
  const byId = new Map(images.map((i) => [i.id, i]));
  const kept = keptImages(images, containerImages);
  const keptChains = new Set<string>();
  for (const id of kept) for (const l of byId.get(id)?.layers ?? []) keptChains.add(l.chainId);
  const cached = new Set(entries.map((e) => e.imageId));
  const out: BuildCacheRecord[] = [];
  const seen = new Set<string>();
  for (const e of entries) {
    const img = byId.get(e.imageId);
    if (img === undefined || seen.has(img.id)) continue;
    seen.add(img.id);
    const use = usageOf(entries, img.id);
    const chain = introducedChain(img);
    const history = img.config.history ?? [];
    out.push({
      id: hex(img.id),
      parents: cached.has(e.parentId) ? [hex(e.parentId)] : [],
      description: history[history.length - 1]?.created_by ?? '',
      inUse: containerImages.has(img.id),
      shared: kept.has(img.id) || (chain !== null && keptChains.has(chain)),
      size: chain === null ? 0 : await layerSize(chain).catch(() => 0),
      createdAt: e.createdAt,
      lastUsedAt: use.lastUsedAt ?? e.createdAt,
      usageCount: use.usageCount,
    });
  }
  return out;
}
