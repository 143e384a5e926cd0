import type { Readable } from 'node:stream';
import { decompressedStream } from '../../archive/decompress.js';
import { applyChanges } from '../../dockerfile/changes.js';
import { invalidParameter } from '../../errors/index.js';
import { rfc3339Nano } from '../../lib/time.js';
import type { ImageDeps } from './deps.js';
import { normalize } from './reference.js';
import { registerImage } from './register.js';
import { savedManifest } from './save-layout.js';
import type { OciImageConfig } from './types.js';

/** What `docker import` asks for. */
export interface ImportOptions {
  /** Repository (may carry a tag) to tag the image with; empty for an untagged image. */
  repo?: string;
  tag?: string;
  /** Dockerfile instruction lines (see dockerfile/changes.ts). */
  changes?: string[];
  /** History comment; Docker's default is `Imported from -`. */
  message?: string;
}

/**
 * Validates the options (reference and changes) before reading any of the body, so a bad request
 * fails as a 400 without consuming it. Returns the import to run.
 */
export function prepareImport(
  deps: ImageDeps,
  opts: ImportOptions,
): (src: Readable) => Promise<string> {
  let ref: string | null = null;
  if (opts.repo !== undefined && opts.repo !== '') {
    const withTag =
      opts.tag !== undefined && opts.tag !== '' ? `${opts.repo}:${opts.tag}` : opts.repo;
    ref = normalize(withTag);
    if (ref.includes('@')) throw invalidParameter('cannot import to a digest reference');
  }
  const runConfig = applyChanges(opts.changes ?? []);
  return (src) => importRootfs(deps, src, ref, runConfig, opts.message);
}

/**
 * Turns a rootfs tar (plain or gzip) into a one-layer image: the uncompressed tar is stored as the
 * layer blob (its digest is the diff id), a config and an OCI manifest are written, and the layer
 * is unpacked by registerImage (which refuses hostile entries). On failure the new layer blob is
 * deleted unless an image already uses it. Returns the image id.
 */
async function importRootfs(
  deps: ImageDeps,
  src: Readable,
  ref: string | null,
  runConfig: ReturnType<typeof applyChanges>,
  message: string | undefined,
): Promise<string> {
  const { stream } = await decompressedStream(src);
  const lease = deps.leases?.acquire();
  const layer = await deps.content.ingest(stream);
  lease?.add({ blobs: [layer.digest], layers: [layer.digest] });
  try {
    const created = rfc3339Nano();
    const config: OciImageConfig = {
      architecture: process.arch === 'x64' ? 'amd64' : process.arch,
      os: 'linux',
      created,
      config: runConfig,
      rootfs: { type: 'layers', diff_ids: [layer.digest] },
      history: [
        { created, comment: message !== undefined && message !== '' ? message : 'Imported from -' },
      ],
    };
    const cfg = await deps.content.writeBlob(Buffer.from(JSON.stringify(config)));
    const layers = [{ digest: layer.digest, diffId: layer.digest, size: layer.size }];
    const m = savedManifest({ configDigest: cfg.digest, configSize: cfg.size, refs: [], layers });
    const manifest = await deps.content.writeBlob(m.bytes);
    const id = await registerImage(
      deps,
      { manifestDigest: manifest.digest, configDigest: cfg.digest, config, layers },
      ref === null ? [] : [ref],
    );
    deps.events.publish('image', 'import', id, {});
    if (ref !== null) deps.events.publish('image', 'tag', id, { name: ref });
    return id;
  } catch (e) {
    if (!deps.repo.chainInUse(layer.digest)) {
      await deps.snapshotter.removeLayer(layer.digest).catch(() => undefined);
      await deps.content.delete(layer.digest);
    }
    throw e;
  } finally {
    lease?.release();
  }
}
