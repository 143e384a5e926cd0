import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { stageArchive } from '../../archive/stage-archive.js';
import { digestHex, type Digest } from '../../lib/digest.js';
import { chainIds } from './chain-id.js';
import type { ImageDeps } from './deps.js';
import { planLoad, type LoadPlanImage } from './load-plan.js';
import { loadingLayer, type ProgressMessage } from './load-progress.js';
import { familiarString } from './reference.js';
import { registerImage } from './register.js';
import { savedManifest } from './save-layout.js';

/** A staged, verified archive, ready to be loaded; {@link dispose} it in every case. */
export interface LoadJob {
  images: LoadPlanImage[];
  /** Ingests and registers every image, reporting through `emit`; throws on the first failure. */
  run(emit: (m: ProgressMessage) => void, quiet: boolean): Promise<void>;
  /** Deletes the staging directory. */
  dispose(): Promise<void>;
}

/**
 * Stages the archive from `src` next to the content store and verifies it completely (see
 * stage-archive.ts and load-plan.ts), so a malformed, hostile or inconsistent archive fails here,
 * before any response byte and with nothing written to the stores.
 */
export async function prepareLoad(deps: ImageDeps, src: Readable): Promise<LoadJob> {
  const dir = await mkdtemp(join(deps.content.root, 'ingest', 'load-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const staged = await stageArchive(src, dir);
    const images = await planLoad(staged, hostArch());
    return { images, dispose, run: (emit, quiet) => runLoad(deps, images, emit, quiet) };
  } catch (e) {
    await dispose();
    throw e;
  }
}

function hostArch(): string {
  return process.arch === 'x64' ? 'amd64' : process.arch;
}

async function runLoad(
  deps: ImageDeps,
  images: LoadPlanImage[],
  emit: (m: ProgressMessage) => void,
  quiet: boolean,
): Promise<void> {
  const lease = deps.leases?.acquire();
  try {
    for (const img of images) {
      lease?.add({ blobs: [img.configDigest, ...img.layers.map((l) => l.diffId)] });
      lease?.add({ layers: chainIds(img.layers.map((l) => l.diffId)) });
      await loadOne(deps, img, emit, quiet);
    }
  } finally {
    lease?.release();
  }
}

async function loadOne(
  deps: ImageDeps,
  img: LoadPlanImage,
  emit: (m: ProgressMessage) => void,
  quiet: boolean,
): Promise<void> {
  const config = await deps.content.writeBlob(img.config, { digest: img.configDigest });
  const layers = [];
  for (const l of img.layers) {
    const size = l.file.isGzip ? (l.file.gunzipped?.size ?? 0) : l.file.size;
    if (!(await deps.content.has(l.diffId))) await ingestLayer(deps, l, size, quiet ? null : emit);
    else if (!quiet) emit(loadingLayer(digestHex(l.diffId).slice(0, 12), size, size));
    layers.push({ digest: l.diffId, diffId: l.diffId, size });
  }
  const m = savedManifest({
    configDigest: config.digest,
    configSize: config.size,
    refs: img.refs,
    layers,
  });
  const manifest = await deps.content.writeBlob(m.bytes, { digest: m.digest });
  for (const ref of img.refs) {
    const old = deps.repo.byRef(ref);
    if (old && old.id !== img.configDigest)
      emit({
        stream: `The image ${familiarString(ref)} already exists, renaming the old one with ID ${old.id} to empty string\n`,
      });
  }
  const blobs = {
    manifestDigest: manifest.digest,
    configDigest: config.digest,
    config: img.parsed,
    layers,
  };
  await withLayerCleanup(
    deps,
    layers.map((l) => l.diffId),
    () => registerImage(deps, blobs, img.refs),
  );
  for (const ref of img.refs) deps.events.publish('image', 'tag', img.configDigest, { name: ref });
  deps.events.publish('image', 'load', img.configDigest, {});
  if (img.refs.length === 0) emit({ stream: `Loaded image ID: ${img.configDigest}\n` });
  for (const ref of img.refs) emit({ stream: `Loaded image: ${familiarString(ref)}\n` });
}

/** Stores one layer as an uncompressed tar whose digest must be its diff id. */
async function ingestLayer(
  deps: ImageDeps,
  l: LoadPlanImage['layers'][number],
  total: number,
  emit: ((m: ProgressMessage) => void) | null,
): Promise<void> {
  const id = digestHex(l.diffId).slice(0, 12);
  let src: Readable = createReadStream(l.file.file);
  if (l.file.isGzip) {
    const gz = createGunzip();
    src.on('error', (e) => gz.destroy(e));
    src = src.pipe(gz);
  }
  let current = 0;
  let last = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      current += chunk.length;
      if (emit && (current - last >= 1 << 20 || current === total)) {
        last = current;
        emit(loadingLayer(id, current, total));
      }
      cb(null, chunk);
    },
  });
  src.on('error', (e) => counter.destroy(e));
  emit?.(loadingLayer(id, 0, total));
  await deps.content.ingest(src.pipe(counter), { digest: l.diffId, size: total });
}

/**
 * Runs `register`; when it fails, deletes the layer snapshots it created that no stored image
 * uses, top first, so a failed load leaves no orphan snapshot behind.
 */
async function withLayerCleanup(
  deps: ImageDeps,
  diffIds: Digest[],
  register: () => Promise<unknown>,
) {
  const chains = chainIds(diffIds);
  const existed = await Promise.all(chains.map((c) => deps.snapshotter.hasLayer(c)));
  try {
    await register();
  } catch (e) {
    for (let i = chains.length - 1; i >= 0; i--) {
      const c = chains[i] as Digest;
      if (existed[i] === true || deps.repo.chainInUse(c)) continue;
      await deps.snapshotter.removeLayer(c).catch(() => undefined);
    }
    throw e;
  }
}
