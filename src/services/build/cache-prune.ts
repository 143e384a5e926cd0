import type { BuildCacheRepository } from '../../store/metadata/build-cache-repository.js';
import { introducedChain } from './cache-usage.js';
import type { BuildImages } from './types.js';

/**
 * POST /build/prune: forgets every cache entry, then removes the build-step images nothing else
 * keeps (unnamed, with a parent, no child, no container; repeated as children go). The space
 * reclaimed is the size of each layer such an image added that no remaining image has: layers
 * are measured before the removal (once their snapshot is released it cannot be).
 */
export async function pruneBuildCache(
  images: BuildImages,
  cache: BuildCacheRepository,
  layerSize: (chainId: string) => Promise<number>,
): Promise<{ cachesDeleted: string[]; spaceReclaimed: number }> {
  const sizes = new Map<string, number>();
  const introduced = new Map<string, string>();
  for (const img of await images.list()) {
    const unnamed = img.repoTags.length === 0 && img.repoDigests.length === 0;
    const chain = introducedChain(img);
    if (!unnamed || !img.parentId || chain === null) continue;
    introduced.set(img.id, chain);
    if (!sizes.has(chain)) sizes.set(chain, await layerSize(chain).catch(() => 0));
  }
  cache.clear();
  const cachesDeleted = await images.pruneIntermediate();
  const remaining = new Set<string>();
  for (const img of await images.list()) for (const l of img.layers) remaining.add(l.chainId);
  const freed = new Set<string>();
  for (const id of cachesDeleted) {
    const chain = introduced.get(id);
    if (chain !== undefined && !remaining.has(chain)) freed.add(chain);
  }
  const spaceReclaimed = [...freed].reduce((n, c) => n + (sizes.get(c) ?? 0), 0);
  return { cachesDeleted, spaceReclaimed };
}
