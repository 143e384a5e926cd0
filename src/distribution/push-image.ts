import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { systemError } from '../errors/index.js';
import type { Digest } from '../lib/digest.js';
import { progressBar, shortLayerId, type ProgressMessage } from './progress.js';
import { pushBlob, type PushBlob, type PushBlobResult } from './push-blob.js';
import type { PushTransport } from './push-transport.js';

/** A progress line of a push: Docker's, plus the final `aux` with the pushed digest. */
export type PushMessage = ProgressMessage & {
  aux?: { Tag: string; Digest: string; Size: number };
};

/** One image to push to `repo:tag`, its blobs readable from the local store. */
export interface PushImageInput {
  /** The repository path inside the registry (`test/busybox`). */
  repo: string;
  tag: string;
  /** The stored manifest, sent byte for byte so its digest stays the same. */
  manifest: { bytes: Buffer; mediaType: string };
  config: PushBlob & { mountFrom: string[] };
  /** Bottom first; `diffId` names the layer in progress lines as Docker does. */
  layers: (PushBlob & { diffId: string; mountFrom: string[] })[];
}

/** Options of {@link pushImage}. */
export interface PushImageOptions {
  /** Layers uploaded at once (default 3); the others show "Waiting". */
  concurrency?: number;
  chunkSize?: number;
  /** Stops the push before the next blob or the manifest (the client went away). */
  signal?: AbortSignal;
}

const PROGRESS_EVERY_MS = 300;

/** Counts bytes read from `s` and reports them, at most every 300 ms. */
function counted(s: Readable, base: number, report: (n: number) => void): Readable {
  let n = base;
  let last = 0;
  s.on('data', (c: Buffer) => {
    n += c.length;
    const now = Date.now();
    if (now - last >= PROGRESS_EVERY_MS) {
      last = now;
      report(n);
    }
  });
  return s;
}

const layerStatus = (r: PushBlobResult): string =>
  r.how === 'exists'
    ? 'Layer already exists'
    : r.how === 'mounted'
      ? `Mounted from ${r.from}`
      : 'Pushed';

/**
 * Pushes an image as dockerd does: every layer (top first in the progress) goes "Preparing",
 * then "Waiting" beyond the concurrency limit, "Pushing" with byte counts, and ends as "Pushed",
 * "Layer already exists" or "Mounted from <repo>"; then the config blob and the manifest (PUT
 * with its media type, bytes unchanged, so the registry's digest is the local one); finally
 * `<tag>: digest: sha256:… size: N` and the `aux` object the docker CLI reads.
 */
export async function pushImage(
  t: PushTransport,
  input: PushImageInput,
  progress: (m: PushMessage) => void,
  opts: PushImageOptions = {},
): Promise<{ digest: Digest; size: number }> {
  const layers = [...input.layers].reverse();
  const limit = Math.max(1, opts.concurrency ?? 3);
  const chunk = opts.chunkSize !== undefined ? { chunkSize: opts.chunkSize } : {};
  for (const l of layers)
    progress({ status: 'Preparing', progressDetail: {}, id: shortLayerId(l.diffId) });
  layers
    .slice(limit)
    .forEach((l) =>
      progress({ status: 'Waiting', progressDetail: {}, id: shortLayerId(l.diffId) }),
    );
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < layers.length; i = next++) {
      opts.signal?.throwIfAborted();
      const l = layers[i] as (typeof layers)[number];
      const id = shortLayerId(l.diffId);
      const report = (current: number) =>
        progress({
          status: 'Pushing',
          progressDetail: { current, total: l.size },
          progress: progressBar(current, l.size),
          id,
        });
      const blob: PushBlob = {
        digest: l.digest,
        size: l.size,
        open: (range) => counted(l.open(range), range?.start ?? 0, report),
      };
      const r = await pushBlob(t, input.repo, blob, { mountFrom: l.mountFrom, ...chunk });
      progress({ status: layerStatus(r), progressDetail: {}, id });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, layers.length) }, worker));
  opts.signal?.throwIfAborted();
  await pushBlob(t, input.repo, input.config, { mountFrom: input.config.mountFrom, ...chunk });
  opts.signal?.throwIfAborted();
  const digest: Digest = `sha256:${createHash('sha256').update(input.manifest.bytes).digest('hex')}`;
  const res = await t.send({
    method: 'PUT',
    url: `/v2/${input.repo}/manifests/${input.tag}`,
    scopes: [`repository:${input.repo}:pull,push`],
    headers: { 'Content-Type': input.manifest.mediaType },
    body: () => input.manifest.bytes,
    what: `pushing manifest for ${input.repo}:${input.tag}`,
  });
  res.resume();
  const theirs = res.headers['docker-content-digest'];
  if (typeof theirs === 'string' && theirs !== '' && theirs !== digest)
    throw systemError(`registry stored the manifest as ${theirs}, expected ${digest}`);
  const size = input.manifest.bytes.byteLength;
  progress({ status: `${input.tag}: digest: ${digest} size: ${size}` });
  progress({ progressDetail: {}, aux: { Tag: input.tag, Digest: digest, Size: size } });
  return { digest, size };
}
