import type { OciImageConfig } from '../images/types.js';

/** What the `--cache-from` matcher reads of an image: its layer diff ids and its history. */
export interface CacheImage {
  id: string;
  diffIds: readonly string[];
  history: NonNullable<OciImageConfig['history']>;
  /** The stored layer blobs, aligned with `diffIds`. */
  layerDigests: readonly string[];
}

/** A `--cache-from` hit: the source image and the layer its next history entry added, if any. */
export interface CacheFromMatch {
  source: CacheImage;
  /** The layer to reuse (blob digest and diff id), or null for an `empty_layer` step. */
  layer: { digest: string; diffId: string } | null;
}

const nonEmpty = (h: CacheImage['history']): number => h.filter((e) => !e.empty_layer).length;

/**
 * True when `source` was built on `parent`: its diff ids start with the parent's, and its history
 * starts with the parent's entries (same step, same empty/non-empty kind; creation times differ
 * because a hit commits a fresh image), with the layers aligned to the non-empty entries.
 */
function continues(parent: CacheImage | null, source: CacheImage): boolean {
  const ph = parent?.history ?? [];
  const pd = parent?.diffIds ?? [];
  if (source.history.length <= ph.length || source.diffIds.length < pd.length) return false;
  if (pd.some((d, i) => source.diffIds[i] !== d)) return false;
  for (let i = 0; i < ph.length; i++) {
    const a = ph[i];
    const b = source.history[i];
    if (a?.created_by !== b?.created_by || !a?.empty_layer !== !b?.empty_layer) return false;
  }
  return nonEmpty(source.history.slice(0, ph.length)) === pd.length;
}

/**
 * Docker's classic-builder rule for `--cache-from` images that have no local parent chain (pulled
 * or loaded): a step on `parent` (null for scratch) that would record `createdBy` hits on the
 * first source whose history continues the parent's with an entry of that `created_by`; for a
 * step that added a layer the source's next layer must exist. Pure: the caller commits the hit.
 */
export function matchCacheFrom(
  parent: CacheImage | null,
  createdBy: string,
  sources: readonly CacheImage[],
): CacheFromMatch | undefined {
  const at = parent?.history.length ?? 0;
  const layerAt = parent?.diffIds.length ?? 0;
  for (const source of sources) {
    if (!continues(parent, source)) continue;
    const next = source.history[at];
    if (next?.created_by !== createdBy) continue;
    if (next.empty_layer === true) return { source, layer: null };
    const diffId = source.diffIds[layerAt];
    const digest = source.layerDigests[layerAt];
    if (diffId === undefined || digest === undefined) continue;
    return { source, layer: { digest, diffId } };
  }
  return undefined;
}

/** The matcher's view of an inspected image (its config's rootfs and history, its layers). */
export function cacheImageOf(img: {
  id: string;
  config: OciImageConfig;
  layers: readonly { digest: string; diffId: string }[];
}): CacheImage {
  return {
    id: img.id,
    diffIds: img.config.rootfs?.diff_ids ?? img.layers.map((l) => l.diffId),
    history: img.config.history ?? [],
    layerDigests: img.layers.map((l) => l.digest),
  };
}
