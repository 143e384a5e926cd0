import { unpackLayer } from '../../archive/unpack-layer.js';
import type { Digest } from '../../lib/digest.js';
import { rfc3339Nano } from '../../lib/time.js';
import { chainIds } from './chain-id.js';
import type { ImageDeps } from './deps.js';
import type { OciImageConfig } from './types.js';

/** An image whose manifest, config and layer blobs are already in the content store. */
export interface ImageBlobs {
  manifestDigest: Digest;
  configDigest: Digest;
  config: OciImageConfig;
  layers: { digest: Digest; diffId: Digest; size: number }[];
}

/**
 * Unpacks each layer once into its chain-id snapshot (shared with every image that has it), checks
 * the unpacked diff id against the config, then records the image and its references.
 */
export async function registerImage(
  deps: ImageDeps,
  blobs: ImageBlobs,
  refs: string[],
): Promise<string> {
  const diffIds = blobs.layers.map((l) => l.diffId);
  const chains = chainIds(diffIds);
  let size = 0;
  for (const [i, layer] of blobs.layers.entries()) {
    const chainId = chains[i] as Digest;
    const parent = i === 0 ? null : (chains[i - 1] as Digest);
    await deps.snapshotter.ensureLayer(chainId, parent, async (dir) => {
      const { diffId } = await unpackLayer(deps.content.createReadStream(layer.digest), dir);
      if (diffId !== layer.diffId) {
        throw new Error(
          `layer ${layer.digest}: unpacked diff id ${diffId} does not match ${layer.diffId}`,
        );
      }
    });
    size += await deps.snapshotter.layerSize(chainId);
  }
  deps.repo.add(
    {
      id: blobs.configDigest,
      manifestDigest: blobs.manifestDigest,
      created: blobs.config.created ?? null,
      size,
      storedAt: rfc3339Nano(),
      layers: blobs.layers.map((l, i) => ({
        digest: l.digest,
        diffId: l.diffId,
        chainId: chains[i] as string,
        size: l.size,
      })),
    },
    refs,
  );
  return blobs.configDigest;
}
