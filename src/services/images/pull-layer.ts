import { chmod, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { unpackLayer } from '../../archive/unpack-layer.js';
import { openBlob, tee } from '../../distribution/blob-stream.js';
import type { Descriptor } from '../../distribution/manifest.js';
import { progressBar, shortLayerId, type ProgressSink } from '../../distribution/progress.js';
import { isRetryable, sleep, type RegistryClient } from '../../distribution/registry-client.js';
import { invalidParameter } from '../../errors/index.js';
import type { Digest } from '../../lib/digest.js';
import type { ImageDeps } from './deps.js';

/** One layer of a pull, with its place in the stack. */
export interface LayerJob {
  desc: Descriptor;
  diffId: Digest;
  chainId: Digest;
  parent: Digest | null;
  /** Resolves once the parent snapshot is committed (immediately for the bottom layer). */
  parentReady: Promise<void>;
}

/** What a layer job needs besides the image deps. */
export interface LayerContext {
  deps: ImageDeps;
  client: RegistryClient;
  repository: string;
  progress: ProgressSink;
  /** Set when another layer failed: stop early. */
  cancelled: () => boolean;
  attempts?: number;
}

/** Unpacks `src` into the layer's snapshot, checking the diff id the config promised. */
function unpackInto(job: LayerJob, src: Readable) {
  return async (dir: string): Promise<void> => {
    const { diffId } = await unpackLayer(src, dir);
    if (diffId !== job.diffId)
      throw invalidParameter(
        `layer ${job.desc.digest}: unpacked diff id ${diffId} does not match the config's ${job.diffId}`,
      );
  };
}

/**
 * Makes one layer available: its blob verified in the content store and its chain-id snapshot
 * committed. Download, digest check and unpack are ONE streaming pass: the body is teed into
 * ContentStore.ingest (digest + size verified, fsync, rename) and into unpackLayer writing a
 * private scratch directory, concurrently with the other layers. Only when both sides succeeded
 * and the parent snapshot is committed is the scratch directory renamed into the new snapshot,
 * so a wrong digest, a truncated body or a hostile tar leaves nothing. (The snapshotter commits a
 * layer only on top of a committed parent; unpacking into scratch first is what lets layers
 * download and unpack in parallel without buffering a download.) Transient failures are retried
 * with backoff, from scratch.
 */
export async function pullLayer(ctx: LayerContext, job: LayerJob): Promise<void> {
  const { deps, progress } = ctx;
  const id = shortLayerId(job.desc.digest);
  const [haveBlob, haveLayer] = await Promise.all([
    deps.content.has(job.desc.digest),
    deps.snapshotter.hasLayer(job.chainId),
  ]);
  if (haveBlob && haveLayer) return;
  if (haveBlob) {
    await job.parentReady;
    progress({ status: 'Extracting', progressDetail: {}, id });
    await deps.snapshotter.ensureLayer(
      job.chainId,
      job.parent,
      unpackInto(job, deps.content.createReadStream(job.desc.digest)),
    );
    progress({ status: 'Pull complete', progressDetail: {}, id });
    return;
  }
  const attempts = ctx.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      await downloadOnce(ctx, job, id, haveLayer);
      break;
    } catch (e) {
      if (attempt >= attempts || !isRetryable(e) || ctx.cancelled()) throw e;
      const wait = 2 ** attempt;
      progress({ status: `Retrying in ${wait} seconds`, progressDetail: {}, id });
      await sleep(wait * 1000);
    }
  }
  progress({ status: 'Pull complete', progressDetail: {}, id });
}

async function downloadOnce(ctx: LayerContext, job: LayerJob, id: string, haveLayer: boolean) {
  const { deps, progress } = ctx;
  const total = job.desc.size;
  let last = 0;
  const onBytes = (n: number): void => {
    const now = Date.now();
    if (now - last < 100 && n !== total) return;
    last = now;
    const detail = { current: n, total };
    progress({
      status: 'Downloading',
      progressDetail: detail,
      progress: progressBar(n, total),
      id,
    });
  };
  const expected = { digest: job.desc.digest, size: total };
  const downloaded = () => {
    progress({ status: 'Verifying Checksum', progressDetail: {}, id });
    progress({ status: 'Download complete', progressDetail: {}, id });
  };
  if (haveLayer) {
    // The snapshot exists (another image has it); only the blob is missing.
    await deps.content.ingest(
      await openBlob(ctx.client, ctx.repository, job.desc, onBytes),
      expected,
    );
    downloaded();
    return;
  }
  // One pass: the body is teed into the content store and into an unpack in a private scratch
  // directory, concurrently with the other layers; once both sides succeeded and the parent
  // snapshot is committed, the directory is renamed into the new snapshot. The directory is
  // made first: nothing may come between opening the body and reading it.
  const scratch = await mkdtemp(join(deps.content.root, 'ingest', 'unpack-'));
  try {
    await chmod(scratch, 0o755); // becomes the layer's root directory
    const body = await openBlob(ctx.client, ctx.repository, job.desc, onBytes);
    const [toStore, toUnpack] = tee(body);
    const ingest = deps.content.ingest(toStore, expected).catch((e: unknown) => {
      toUnpack.destroy(e as Error);
      throw e;
    });
    const unpack = unpackInto(job, toUnpack)(scratch);
    // The ingest error (digest/size) is the precise one; report it before the unpack's.
    const [a, b] = await Promise.allSettled([ingest, unpack]);
    if (a.status === 'rejected') throw a.reason;
    if (b.status === 'rejected') throw b.reason;
    downloaded();
    await job.parentReady;
    if (ctx.cancelled()) return;
    progress({ status: 'Extracting', progressDetail: {}, id });
    await deps.snapshotter.ensureLayer(job.chainId, job.parent, async (dir) => {
      try {
        await rename(scratch, dir); // dir is empty: rename(2) replaces it
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
        // Snapshots on another filesystem than the content store: unpack the verified blob.
        await unpackInto(job, deps.content.createReadStream(job.desc.digest))(dir);
      }
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
