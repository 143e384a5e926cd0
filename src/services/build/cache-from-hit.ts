import type { Readable } from 'node:stream';
import { isKind } from '../../errors/index.js';
import { cacheImageOf, matchCacheFrom, type CacheImage } from './cache-from.js';
import type { StageState } from './stage-state.js';
import type { BuildImages } from './types.js';

/**
 * The `--cache-from` images of one build, inspected once on first use. Names that are not
 * stored are skipped, as Docker's classic builder does (it only logs them).
 */
export function cacheFromSources(
  images: BuildImages,
  refs: readonly string[],
): () => Promise<CacheImage[]> {
  let loaded: Promise<CacheImage[]> | undefined;
  return () => {
    loaded ??= (async () => {
      const out: CacheImage[] = [];
      for (const ref of refs) {
        const img = await images.inspect(ref).catch((e: unknown) => {
          if (isKind(e, 'NotFound')) return null;
          throw e;
        });
        if (img !== null && !out.some((o) => o.id === img.id)) out.push(cacheImageOf(img));
      }
      return out;
    })();
    return loaded;
  };
}

/**
 * Looks a step up in the `--cache-from` images (see matchCacheFrom). On a hit returns the layer
 * to commit as the step's result: the source's next layer as an uncompressed tar stream, or null
 * when the source recorded the step as an empty layer. The caller commits it with the step's own
 * configuration, so later steps chain on the new image.
 */
export async function cacheFromLayer(
  images: BuildImages,
  sources: () => Promise<CacheImage[]>,
  s: StageState,
  createdBy: string,
): Promise<{ layer: Readable | null } | undefined> {
  const all = await sources();
  if (all.length === 0) return undefined;
  const parent = s.imageId === null ? null : cacheImageOf(await images.inspect(s.imageId));
  const m = matchCacheFrom(parent, createdBy, all);
  if (m === undefined) return undefined;
  return { layer: m.layer === null ? null : await images.openLayer(m.layer.digest) };
}
