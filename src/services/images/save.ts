import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { decompressedStream, detectCompression } from '../../archive/decompress.js';
import { writeBufferEntry, writeStreamEntry } from '../../archive/tar-write.js';
import { notFound, notImplemented, systemError } from '../../errors/index.js';
import type { Digest } from '../../lib/digest.js';
import type { ContentStore } from '../../store/content/content-store.js';
import type { StoredImage } from '../../store/metadata/images-repository.js';
import { normalize, parseReference, fullName } from './reference.js';
import { archiveMetadata, blobPath, savedManifest, type SavedImage } from './save-layout.js';

/** One image to save, resolved and checked before the first byte is sent. */
export interface SavePlanImage {
  id: Digest;
  refs: string[];
  layers: { blob: Digest; diffId: Digest; gzip: boolean }[];
}

/**
 * Resolves `names` as `docker save` does: a repository without tag or digest means every tagged
 * image of that repository; a tag saves that image under that tag; an id or digest saves the
 * image without tags. Images named twice are saved once with the union of their tags. Every blob
 * is checked to be present and in a supported compression, so failures are errors (NotFound,
 * NotImplemented) before any byte of the archive is sent.
 */
export async function planSave(
  content: ContentStore,
  find: (ref: string) => StoredImage,
  all: () => StoredImage[],
  names: readonly string[],
): Promise<SavePlanImage[]> {
  const byId = new Map<string, { img: StoredImage; refs: Set<string> }>();
  const add = (img: StoredImage, refs: string[]): void => {
    const e = byId.get(img.id) ?? { img, refs: new Set<string>() };
    for (const r of refs) e.refs.add(r);
    byId.set(img.id, e);
  };
  for (const name of names) {
    const repo = repositoryOnly(name);
    const tagged =
      repo === null
        ? []
        : all().flatMap((img) =>
            img.refs
              .filter((r) => !r.includes('@') && r.startsWith(`${repo}:`))
              .map((r) => ({ img, r })),
          );
    if (tagged.length > 0) {
      for (const { img, r } of tagged) add(img, [r]);
      continue;
    }
    const img = find(name);
    const ref = tagOf(name);
    add(img, ref !== null && img.refs.includes(ref) ? [ref] : []);
  }
  const plan: SavePlanImage[] = [];
  for (const { img, refs } of byId.values()) {
    const layers: SavePlanImage['layers'] = [];
    for (const l of img.layers) {
      const blob = l.digest as Digest;
      if (!(await content.has(blob)) || !(await content.has(img.id as Digest)))
        throw notFound(`image ${img.id}: content ${blob} is missing from the content store`);
      const kind = await compressionOf(content, blob);
      if (kind !== 'none' && kind !== 'gzip')
        throw notImplemented(`saving a layer compressed with ${kind} is not supported yet`);
      layers.push({ blob, diffId: l.diffId as Digest, gzip: kind === 'gzip' });
    }
    plan.push({ id: img.id as Digest, refs: [...refs], layers });
  }
  return plan;
}

/** `busybox`, `x/y` (no tag, digest or id) → the full repository name; otherwise null. */
function repositoryOnly(name: string): string | null {
  if (/^(sha256:)?[0-9a-f]{64}$/.test(name)) return null;
  try {
    const ref = parseReference(name);
    return ref.tag === undefined && ref.digest === undefined ? fullName(ref) : null;
  } catch {
    return null;
  }
}

/** The normalised tagged reference `name` denotes, or null (ids, digests, invalid names). */
function tagOf(name: string): string | null {
  try {
    return parseReference(name).digest === undefined ? normalize(name) : null;
  } catch {
    return null;
  }
}

async function compressionOf(content: ContentStore, d: Digest) {
  const s = content.createReadStream(d);
  const head: Buffer[] = [];
  let n = 0;
  for await (const c of s as AsyncIterable<Buffer>) {
    head.push(c);
    n += c.length;
    if (n >= 6) break;
  }
  s.destroy();
  return detectCompression(Buffer.concat(head));
}

/**
 * The archive of `plan` as a tar stream (see save-layout.ts for its shape). Layers are written
 * once each, uncompressed, under blobs/sha256/<diff id>; a gzip layer is decompressed twice (once
 * to learn its size and check its diff id, once to stream it), so nothing is buffered whole. An
 * error after the first byte destroys the stream: a tar has no way to carry it.
 */
export function streamSave(content: ContentStore, plan: readonly SavePlanImage[]): Readable {
  const pack = tar.pack();
  const mtime = new Date(0);
  void (async () => {
    for (const dir of ['blobs/', 'blobs/sha256/'])
      await writeBufferEntry(pack, { name: dir, type: 'directory', mode: 0o755, mtime });
    const written = new Map<string, number>();
    const saved: SavedImage[] = [];
    for (const img of plan) {
      const layers: SavedImage['layers'] = [];
      for (const l of img.layers) {
        let size = written.get(l.diffId);
        if (size === undefined) {
          size = l.gzip
            ? await gunzippedSize(content, l.blob, l.diffId)
            : await blobSize(content, l.blob);
          const src = l.gzip
            ? (await decompressedStream(content.createReadStream(l.blob))).stream
            : content.createReadStream(l.blob);
          await writeStreamEntry(pack, { name: blobPath(l.diffId), size, mode: 0o644, mtime }, src);
          written.set(l.diffId, size);
        }
        layers.push({ diffId: l.diffId, size });
      }
      const config = await content.readBuffer(img.id, { verify: true });
      if (!written.has(img.id)) {
        await writeBufferEntry(pack, { name: blobPath(img.id), mode: 0o644, mtime }, config);
        written.set(img.id, config.length);
      }
      saved.push({ configDigest: img.id, configSize: config.length, refs: img.refs, layers });
    }
    const manifests = saved.map(savedManifest);
    for (const m of manifests) {
      if (written.has(m.digest)) continue;
      await writeBufferEntry(pack, { name: blobPath(m.digest), mode: 0o644, mtime }, m.bytes);
      written.set(m.digest, m.bytes.length);
    }
    for (const [name, body] of Object.entries(archiveMetadata(saved, manifests)))
      await writeBufferEntry(pack, { name, mode: 0o644, mtime }, body);
    pack.finalize();
  })().catch((e: unknown) => pack.destroy(e as Error));
  return pack as unknown as Readable;
}

async function blobSize(content: ContentStore, d: Digest): Promise<number> {
  const size = await content.size(d);
  if (size === null) throw notFound(`content ${d}: not found`);
  return size;
}

/** Decompresses the blob once to count its bytes, checking that they hash to `diffId`. */
async function gunzippedSize(content: ContentStore, blob: Digest, diffId: Digest): Promise<number> {
  const { stream } = await decompressedStream(content.createReadStream(blob));
  const hash = createHash('sha256');
  let n = 0;
  for await (const c of stream as AsyncIterable<Buffer>) {
    hash.update(c);
    n += c.length;
  }
  const got = `sha256:${hash.digest('hex')}`;
  if (got !== diffId)
    throw systemError(`layer ${blob}: uncompressed digest ${got} is not its diff id ${diffId}`);
  return n;
}
