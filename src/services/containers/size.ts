import type { Digest } from '../../lib/digest.js';
import type { ContainerContext, Stored } from './context.js';

/** Docker's SizeRw and SizeRootFs, in bytes. */
export interface ContainerSize {
  /** Files created or changed in the container's writable layer. */
  sizeRw: number;
  /** Every file of the container: the writable layer plus its image's layers. */
  sizeRootFs: number;
}

/**
 * Sizes of one container (`size=1` on list and inspect, `system df`). Layer sizes are cached per
 * chain id in `layerSizes` (committed layers never change) so a listing sizes each layer once.
 * A container whose snapshot or image layers vanished meanwhile counts them as 0.
 */
export async function containerSize(
  ctx: ContainerContext,
  c: Stored,
  layerSizes = new Map<string, Promise<number>>(),
): Promise<ContainerSize> {
  const { snapshotter, images } = ctx.deps;
  const sizeRw = await snapshotter.upperSize(c.id).catch(() => 0);
  const layers = await images
    .resolve(c.imageId)
    .then((i) => i.layers)
    .catch(() => [] as string[]);
  let image = 0;
  for (const l of layers) {
    let p = layerSizes.get(l);
    if (p === undefined) {
      p = snapshotter.layerSize(l as Digest).catch(() => 0);
      layerSizes.set(l, p);
    }
    image += await p;
  }
  return { sizeRw, sizeRootFs: sizeRw + image };
}
