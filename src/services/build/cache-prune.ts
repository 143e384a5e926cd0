import type { BuildCacheRepository } from '../../store/metadata/build-cache-repository.js';
import { buildCacheRecords, introducedChain, keptImages } from './cache-usage.js';
import { selectForPrune, type BuildPruneOptions } from './prune-select.js';
import type { BuildImages } from './types.js';

/** What pruneBuildCache works on. */
export interface CachePruneDeps {
  images: BuildImages;
  cache: BuildCacheRepository;
  layerSize: (chainId: string) => Promise<number>;
  /** The images containers use (they and their ancestors are kept). */
  containerImages: ReadonlySet<string>;
  /** Free bytes on the data root's disk (only `minFreeSpace` looks at it). */
  freeBytes: number;
}

/**
 * POST /build/prune: deletes the cache records `opts` selects (see selectForPrune), children
 * before parents. A selected record's image goes when nothing else keeps it (unnamed, not used by
 * a container nor an ancestor of a kept image: keptImages), without taking its parents along;
 * its entries cascade with it. A selected record whose image is kept (only with `all`) is just
 * forgotten. The space reclaimed is the size of each layer a removed image added that no
 * remaining image has: layers are measured before the removal (once their snapshot is released
 * it cannot be). Returns the deleted records' image ids (`sha256:…`).
 */
export async function pruneBuildCache(
  deps: CachePruneDeps,
  opts: BuildPruneOptions,
): Promise<{ cachesDeleted: string[]; spaceReclaimed: number }> {
  const { images, cache, containerImages } = deps;
  const stored = await images.list();
  const records = await buildCacheRecords(cache.list(), stored, containerImages, deps.layerSize);
  const chosen = selectForPrune(records, opts, deps.freeBytes);
  const byHex = new Map(stored.map((i) => [i.id.replace(/^sha256:/, ''), i]));
  const sizeOf = new Map(records.map((r) => [r.id, r.size]));
  const kept = keptImages(stored, containerImages);
  const cachesDeleted: string[] = [];
  const freedChains = new Map<string, number>();
  for (const hexId of chosen) {
    const img = byHex.get(hexId);
    if (img === undefined) continue;
    if (kept.has(img.id)) {
      cache.forget([img.id]);
      cachesDeleted.push(img.id);
      continue;
    }
    if (!(await images.removeStep(img.id))) continue; // something came to need it: it stays
    cachesDeleted.push(img.id); // its entries went with it (ON DELETE CASCADE)
    const chain = introducedChain(img);
    if (chain !== null) freedChains.set(chain, sizeOf.get(hexId) ?? 0);
  }
  if (freedChains.size === 0) return { cachesDeleted, spaceReclaimed: 0 };
  for (const img of await images.list()) for (const l of img.layers) freedChains.delete(l.chainId);
  const spaceReclaimed = [...freedChains.values()].reduce((n, s) => n + s, 0);
  return { cachesDeleted, spaceReclaimed };
}
