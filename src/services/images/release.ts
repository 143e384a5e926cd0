import { BerthError } from '../../errors/index.js';
import type { Digest } from '../../lib/digest.js';
import type { StoredImage } from '../../store/metadata/images-repository.js';
import type { ImageDeps } from './deps.js';

/** What {@link releaseImageData} freed. */
export interface ReleasedData {
  /** Chain ids of the layer snapshots removed, top first (Docker lists them as `Deleted`). */
  layers: string[];
  /** Bytes those snapshots used. */
  bytes: number;
}

/**
 * Frees what a just-deleted image (already gone from the metadata store) held alone: its layer
 * snapshots that no other image uses, top layer first so a child never outlives its parent
 * then its manifest, config and layer blobs
 * that no other image references. A snapshot still in use (a racing registration or container)
 * answers Conflict and is kept, and leased blobs/layers (in-flight pulls) are never touched:
 * leaving data is safe, removing used data is not.
 */
export async function releaseImageData(deps: ImageDeps, img: StoredImage): Promise<ReleasedData> {
  const out: ReleasedData = { layers: [], bytes: 0 };
  // In-flight pulls hold leases over what they are writing: never delete those.
  const leased = (kind: 'blob' | 'layer', d: string) => deps.leases?.isLeased(kind, d) === true;
  for (const layer of [...img.layers].reverse()) {
    const chainId = layer.chainId as Digest;
    if (deps.repo.chainInUse(chainId) || leased('layer', chainId)) break; // and all below
    try {
      const size = await deps.snapshotter.layerSize(chainId).catch(() => 0);
      if (!(await deps.snapshotter.hasLayer(chainId))) continue;
      await deps.snapshotter.removeLayer(chainId);
      out.layers.push(chainId);
      out.bytes += size;
    } catch (e) {
      if (e instanceof BerthError && e.kind === 'Conflict') break;
      throw e;
    }
  }
  const blobs = new Set<string>([img.id, ...img.layers.map((l) => l.digest)]);
  if (img.manifestDigest) blobs.add(img.manifestDigest);
  for (const d of blobs) {
    if (!deps.repo.blobInUse(d) && !leased('blob', d))
      await deps.content.delete(d as Digest).catch(() => false);
  }
  return out;
}
