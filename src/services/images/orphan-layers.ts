import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isKind } from '../../errors/index.js';
import type { Digest } from '../../lib/digest.js';
import type { ImageDeps } from './deps.js';

/**
 * Boot cleanup after an interrupted pull (berthd killed mid-pull): removes committed layer
 * snapshots that no image references and the content store's partial ingests. Runs before the
 * API listens, when no pull holds a lease. Layers still used by a container snapshot or by a
 * child layer are kept (the snapshotter answers Conflict); children go first, so a stack of
 * orphans is removed top-down over a few passes. Verified blobs are kept: they are valid content
 * that a retried pull reuses. Returns the removed chain ids.
 */
export async function removeOrphanLayers(deps: ImageDeps): Promise<Digest[]> {
  const referenced = new Set<string>();
  for (const img of deps.repo.all()) for (const l of img.layers) referenced.add(l.chainId);
  let candidates = (await deps.snapshotter.listLayers()).filter(
    (c) => !referenced.has(c) && deps.leases?.isLeased('layer', c) !== true,
  );
  const removed: Digest[] = [];
  for (let progress = true; progress && candidates.length > 0;) {
    progress = false;
    const left: Digest[] = [];
    for (const c of candidates) {
      try {
        await deps.snapshotter.removeLayer(c);
        removed.push(c);
        progress = true;
      } catch (e) {
        if (!isKind(e, 'Conflict')) throw e;
        left.push(c);
      }
    }
    candidates = left;
  }
  const ingest = join(deps.content.root, 'ingest');
  for (const name of await readdir(ingest).catch(() => [] as string[]))
    await rm(join(ingest, name), { recursive: true, force: true });
  return removed;
}
