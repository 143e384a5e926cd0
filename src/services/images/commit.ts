import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { detectCompression } from '../../archive/decompress.js';
import { digestOf, type Digest } from '../../lib/digest.js';
import { rfc3339Nano } from '../../lib/time.js';
import type { StoredImage } from '../../store/metadata/images-repository.js';
import type { ImageDeps } from './deps.js';
import { registerImage } from './register.js';
import { OCI_CONFIG, OCI_LAYER_TAR, OCI_MANIFEST } from './save-layout.js';
import type { OciImageConfig } from './types.js';

/** A tar of nothing but its end-of-archive blocks: a step that changed no file. */
const EMPTY_TAR_BYTES = 1024;

/** What a commit (POST /commit, or one build step) turns into an image. */
export interface CommitRequest {
  /** The image the new one is built on; null for `FROM scratch`. */
  parent: StoredImage | null;
  /** The new layer as an uncompressed tar; null (or an empty tar) adds no layer. */
  layer: Readable | null;
  /** The new image's run configuration (Docker's container-config subset). */
  config: NonNullable<OciImageConfig['config']>;
  /** Its history entry: the step (`/bin/sh -c #(nop) ENV A=1`) and an optional comment. */
  createdBy: string;
  comment?: string;
  author?: string;
  /** Normalised references to point at the new image. */
  refs: string[];
}

/**
 * Creates an image from a parent image plus at most one new layer and a new configuration: the
 * layer is stored uncompressed (its digest is its diff id), a config and OCI manifest are written
 * and the image registered (which unpacks the new layer into its chain-id snapshot). A step that
 * changed nothing records an `empty_layer` history entry instead of a layer. Returns the image id.
 */
export async function commitImage(deps: ImageDeps, req: CommitRequest): Promise<string> {
  const lease = deps.leases?.acquire();
  try {
    const parentConfig: OciImageConfig = req.parent
      ? (JSON.parse(
          (await deps.content.readBuffer(req.parent.id as Digest, { verify: true })).toString(),
        ) as OciImageConfig)
      : { architecture: process.arch === 'x64' ? 'amd64' : process.arch, os: 'linux' };
    const layers = await Promise.all(
      (req.parent?.layers ?? []).map(async (l) => ({
        digest: l.digest as Digest,
        diffId: l.diffId as Digest,
        size: l.size,
        mediaType: await layerMediaType(deps, l.digest as Digest, l.diffId),
      })),
    );
    let added = false;
    if (req.layer !== null) {
      const blob = await deps.content.ingest(req.layer);
      lease?.add({ blobs: [blob.digest], layers: [blob.digest] });
      if (blob.size > EMPTY_TAR_BYTES) {
        layers.push({ ...blob, diffId: blob.digest, mediaType: OCI_LAYER_TAR });
        added = true;
      } else if (!deps.repo.blobInUse(blob.digest)) {
        await deps.content.delete(blob.digest).catch(() => false);
      }
    }
    const created = rfc3339Nano();
    const config: OciImageConfig = {
      ...parentConfig,
      created,
      ...(req.author !== undefined && req.author !== '' ? { author: req.author } : {}),
      config: req.config,
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: [
        ...(parentConfig.history ?? []),
        {
          created,
          created_by: req.createdBy,
          ...(req.comment ? { comment: req.comment } : {}),
          ...(added ? {} : { empty_layer: true }),
        },
      ],
    };
    const configBytes = Buffer.from(JSON.stringify(config));
    const cfg = await deps.content.writeBlob(configBytes);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: OCI_CONFIG, digest: cfg.digest, size: cfg.size },
        layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
      }),
    );
    const m = await deps.content.writeBlob(manifest, { digest: digestOf(manifest) });
    const id = await registerImage(
      deps,
      { manifestDigest: m.digest, configDigest: cfg.digest, config, layers },
      req.refs,
    );
    if (req.parent !== null && req.parent.id !== id) deps.repo.setParent(id, req.parent.id);
    return id;
  } finally {
    lease?.release();
  }
}

/** The media type of a stored layer blob: uncompressed when its digest is its diff id. */
async function layerMediaType(deps: ImageDeps, digest: Digest, diffId: string): Promise<string> {
  if (digest === diffId) return OCI_LAYER_TAR;
  const fh = await open(deps.content.path(digest), 'r');
  try {
    const head = Buffer.alloc(8);
    await fh.read(head, 0, 8, 0);
    const c = detectCompression(head);
    return c === 'none' ? OCI_LAYER_TAR : `${OCI_LAYER_TAR}+${c}`;
  } finally {
    await fh.close();
  }
}
