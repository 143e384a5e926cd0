import { BerthError } from '../../errors/index.js';
import type { Digest } from '../../lib/digest.js';
import { assertFilterKeys, boolFilter, labelMatches, untilCutoff } from './image-filters.js';
import { removeImage, type ImageDeleteRecord } from './remove.js';
import type { ImageVerbContext } from './verb-context.js';

/** What POST /images/prune removed. */
export interface ImagePruneResult {
  deleted: ImageDeleteRecord[];
  spaceReclaimed: number;
}

const ACCEPTED = ['dangling', 'until', 'label', 'label!'];

/**
 * POST /images/prune as dockerd: by default (`dangling=true`) images without a tag; with
 * `dangling=false` every image. `until` and `label`/`label!` narrow the set. Each candidate is
 * removed as a non-forced `rmi` would (by each of its names, or by id when it has none), so images
 * used by containers are skipped. SpaceReclaimed is the size of the layer snapshots removed.
 * Publishes `image prune` with the reclaimed bytes.
 */
export async function pruneImages(
  ctx: ImageVerbContext,
  filters: Record<string, string[]>,
  nowMs = Date.now(),
): Promise<ImagePruneResult> {
  assertFilterKeys(filters, ACCEPTED);
  const danglingOnly = boolFilter(filters, 'dangling', true);
  const until = (filters['until'] ?? []).map((v) => untilCutoff(v, nowMs));
  const deleted: ImageDeleteRecord[] = [];
  let spaceReclaimed = 0;
  const layerBytes = new Map<string, number>();
  for (const img of ctx.deps.repo.all()) {
    const created = img.created ? Date.parse(img.created) : 0;
    if (until.some((u) => created >= u)) continue;
    const labels = (await ctx.config(img)).config?.Labels ?? {};
    if (!(filters['label'] ?? []).every((l) => labelMatches(labels, l))) continue;
    if ((filters['label!'] ?? []).some((l) => labelMatches(labels, l))) continue;
    const hasTag = img.refs.some((r) => !r.includes('@'));
    if (danglingOnly && hasTag) continue;
    for (const l of img.layers)
      if (!layerBytes.has(l.chainId))
        layerBytes.set(
          l.chainId,
          await ctx.deps.snapshotter.layerSize(l.chainId as Digest).catch(() => 0),
        );
    const names = img.refs.length > 0 ? img.refs : [img.id];
    for (const name of names) {
      try {
        deleted.push(...(await removeImage(ctx, name, { force: false })));
      } catch (e) {
        // dockerd skips images it may not delete (in use, gone meanwhile) and goes on
        if (e instanceof BerthError && (e.kind === 'Conflict' || e.kind === 'NotFound')) continue;
        throw e;
      }
    }
  }
  for (const r of deleted) if ('deleted' in r) spaceReclaimed += layerBytes.get(r.deleted) ?? 0;
  ctx.deps.events.publish('image', 'prune', '', { reclaimed: String(spaceReclaimed) });
  return { deleted, spaceReclaimed };
}
