import { systemError } from '../../errors/index.js';
import type { Digest } from '../../lib/digest.js';
import { familiarString } from './reference.js';
import type { ImageVerbContext } from './verb-context.js';

/** One row of `docker history`, newest first. */
export interface HistoryEntry {
  /** The image id on the top entry; `<missing>` below it (Berth keeps no parent images). */
  id: string;
  /** Unix seconds. */
  created: number;
  createdBy: string;
  /** The image's tags on the top entry, null elsewhere (as dockerd sends them). */
  tags: string[] | null;
  /** Bytes the entry's layer adds (0 for empty layers). */
  size: number;
  comment: string;
}

/**
 * GET /images/{name}/history from the config's `history`: each entry that is not an
 * `empty_layer` takes the next diff id and its snapshot's size. A config listing more non-empty
 * entries than layers is corrupt (System, as Docker).
 */
export async function imageHistory(ctx: ImageVerbContext, name: string): Promise<HistoryEntry[]> {
  const img = ctx.find(name);
  const cfg = await ctx.config(img);
  const out: HistoryEntry[] = [];
  let layer = 0;
  for (const h of cfg.history ?? []) {
    let size = 0;
    if (h.empty_layer !== true) {
      const l = img.layers[layer++];
      if (!l) throw systemError(`image ${img.id}: too many non-empty layers in History section`);
      size = await ctx.deps.snapshotter.layerSize(l.chainId as Digest).catch(() => 0);
    }
    const t = h.created ? Date.parse(h.created) : NaN;
    out.unshift({
      id: '<missing>',
      created: Number.isNaN(t) ? 0 : Math.floor(t / 1000),
      createdBy: h.created_by ?? '',
      tags: null,
      size,
      comment: h.comment ?? '',
    });
  }
  const top = out[0];
  if (top) {
    top.id = img.id;
    const tags = img.refs.filter((r) => !r.includes('@')).map((r) => familiarString(r));
    top.tags = tags.length > 0 ? tags : null;
  }
  return out;
}
