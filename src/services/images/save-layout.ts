import { digestHex, digestOf, type Digest } from '../../lib/digest.js';
import { familiarName, familiarString, parseReference } from './reference.js';

/** Media types of a saved archive: OCI manifest, config and uncompressed layers (as Docker 25+). */
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_TAR = 'application/vnd.oci.image.layer.v1.tar';

/** One image as it goes into an archive, after its layers were written (sizes known). */
export interface SavedImage {
  configDigest: Digest;
  configSize: number;
  /** Normalised tagged references (`docker.io/library/busybox:latest`); empty for an id save. */
  refs: string[];
  /** Uncompressed layers, bottom first: blob digest = diff id. */
  layers: { diffId: Digest; size: number }[];
}

/** A blob path inside the archive, as manifest.json and the OCI layout both name it. */
export function blobPath(d: Digest): string {
  return `blobs/sha256/${digestHex(d)}`;
}

/** The synthesized OCI manifest of one saved image, its bytes and digest. */
export function savedManifest(img: SavedImage): { bytes: Buffer; digest: Digest } {
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: img.configDigest, size: img.configSize },
    layers: img.layers.map((l) => ({ mediaType: OCI_LAYER_TAR, digest: l.diffId, size: l.size })),
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  return { bytes, digest: digestOf(bytes) };
}

/**
 * The metadata files of an archive that is both a docker-archive and an OCI image layout:
 * `manifest.json` (Config/RepoTags/Layers pointing into blobs/), `index.json` (one manifest
 * descriptor per tag, annotated with the full name and the tag, or one unannotated descriptor
 * for an untagged image), `oci-layout`, and the legacy `repositories` (repository → tag → hex of
 * the top layer's diff id). `manifests` are the results of {@link savedManifest} in image order.
 */
export function archiveMetadata(
  images: readonly SavedImage[],
  manifests: readonly { bytes: Buffer; digest: Digest }[],
): Record<string, Buffer> {
  const index: object[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  const manifestJson = images.map((img, i) => {
    const m = manifests[i] as { bytes: Buffer; digest: Digest };
    const desc = { mediaType: OCI_MANIFEST, digest: m.digest, size: m.bytes.length };
    const top = img.layers.at(-1);
    for (const ref of img.refs) {
      const parsed = parseReference(ref);
      const tag = parsed.tag ?? 'latest';
      index.push({
        ...desc,
        annotations: {
          'io.containerd.image.name': ref,
          'org.opencontainers.image.ref.name': tag,
        },
      });
      if (top !== undefined) {
        const repo = familiarName(parsed);
        repositories[repo] = { ...repositories[repo], [tag]: digestHex(top.diffId) };
      }
    }
    if (img.refs.length === 0) index.push(desc);
    return {
      Config: blobPath(img.configDigest),
      RepoTags: img.refs.map((r) => familiarString(r)),
      Layers: img.layers.map((l) => blobPath(l.diffId)),
    };
  });
  return {
    'index.json': json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: index }),
    'manifest.json': json(manifestJson),
    'oci-layout': json({ imageLayoutVersion: '1.0.0' }),
    repositories: json(repositories),
  };
}

function json(v: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(v)}\n`);
}
