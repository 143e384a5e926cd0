import { readFile } from 'node:fs/promises';
import type { StagedArchive, StagedFile } from '../../archive/stage-archive.js';
import type { BerthError } from '../../errors/index.js';
import { invalidParameter, notImplemented } from '../../errors/index.js';
import { isDigest, type Digest } from '../../lib/digest.js';
import { normalize, parseReference } from './reference.js';
import type { OciImageConfig } from './types.js';

/** One image of an archive, fully verified against its digests and ready to ingest. */
export interface LoadPlanImage {
  configDigest: Digest;
  config: Buffer;
  parsed: OciImageConfig;
  /** Bottom first; each file's (decompressed) content hashes to `diffId`. */
  layers: { file: StagedFile; diffId: Digest }[];
  /** Normalised references to tag the image with. */
  refs: string[];
}

const MAX_JSON = 32 * 1024 * 1024;
const bad = (msg: string): BerthError => invalidParameter(`invalid archive: ${msg}`);

/**
 * Reads a staged archive as `docker load` does: a docker-archive (manifest.json) when there is
 * one, else an OCI image layout (index.json). Every blob named `blobs/sha256/<hex>` must hash to
 * its name; every config's diff ids must match the (decompressed) layer files in count and digest;
 * a missing file or malformed JSON is an InvalidParameter naming it. Nothing is written.
 */
export async function planLoad(staged: StagedArchive, arch: string): Promise<LoadPlanImage[]> {
  for (const p of staged.paths()) {
    const m = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(p);
    if (m && staged.get(p)?.digest !== `sha256:${m[1]}`)
      throw bad(`blob ${p} does not match its digest`);
  }
  const images = staged.get('manifest.json')
    ? await dockerArchive(staged)
    : staged.get('index.json')
      ? await ociLayout(staged, arch)
      : null;
  if (images === null)
    throw bad('no manifest.json or index.json found (not a docker save or OCI layout tar)');
  const merged = new Map<string, LoadPlanImage>();
  for (const img of images) {
    const prev = merged.get(img.configDigest);
    if (prev) prev.refs = [...new Set([...prev.refs, ...img.refs])];
    else merged.set(img.configDigest, img);
  }
  return [...merged.values()];
}

async function dockerArchive(staged: StagedArchive): Promise<LoadPlanImage[]> {
  const manifest = await readJson(staged, 'manifest.json');
  if (!Array.isArray(manifest)) throw bad('manifest.json is not a list');
  const out: LoadPlanImage[] = [];
  for (const entry of manifest as Record<string, unknown>[]) {
    const { Config, RepoTags, Layers } = entry ?? {};
    if (
      typeof Config !== 'string' ||
      !isStrings(Layers) ||
      !(RepoTags == null || isStrings(RepoTags))
    )
      throw bad('manifest.json entry needs Config, Layers (and RepoTags) strings');
    const img = await imageOf(
      file(staged, Config, 'config'),
      Layers.map((l) => file(staged, l, 'layer')),
    );
    img.refs = (RepoTags ?? []).map(normalizeTag);
    out.push(img);
  }
  return out;
}

async function ociLayout(staged: StagedArchive, arch: string): Promise<LoadPlanImage[]> {
  const index = (await readJson(staged, 'index.json')) as { manifests?: unknown };
  if (!Array.isArray(index?.manifests)) throw bad('index.json has no manifests list');
  const out: LoadPlanImage[] = [];
  for (const top of index.manifests as Descriptor[]) {
    const manifest = await resolveManifest(staged, top, arch, 0);
    const layers = manifest.layers.map((d) => {
      if (/zstd/.test(String(d.mediaType)))
        throw notImplemented(`layer ${String(d.digest)}: zstd layers are not supported yet`);
      return blob(staged, d, 'layer');
    });
    const img = await imageOf(blob(staged, manifest.config, 'config'), layers);
    img.refs = refOf(top);
    out.push(img);
  }
  return out;
}

interface Descriptor {
  mediaType?: string;
  digest?: string;
  size?: number;
  annotations?: Record<string, string>;
  platform?: { os?: string; architecture?: string };
}

/** Follows (at most 4 levels of) image indexes to the manifest for linux/`arch`. */
async function resolveManifest(
  staged: StagedArchive,
  d: Descriptor,
  arch: string,
  depth: number,
): Promise<{ config: Descriptor; layers: Descriptor[] }> {
  const f = blob(staged, d, 'manifest');
  const m = (await parseJson(f, String(d.digest))) as {
    mediaType?: string;
    manifests?: Descriptor[];
    config?: Descriptor;
    layers?: Descriptor[];
  };
  if (Array.isArray(m?.manifests)) {
    if (depth >= 4) throw bad('image indexes nested too deeply');
    const subs = m.manifests;
    const pick =
      subs.find((s) => s.platform?.os === 'linux' && s.platform.architecture === arch) ??
      (subs.length === 1 ? subs[0] : undefined);
    if (!pick) throw bad(`index ${String(d.digest)} has no manifest for linux/${arch}`);
    return resolveManifest(staged, pick, arch, depth + 1);
  }
  if (typeof m?.config !== 'object' || !Array.isArray(m.layers))
    throw bad(`manifest ${String(d.digest)} has no config or layers`);
  return { config: m.config, layers: m.layers };
}

/** The staged blob a descriptor names, checked for presence and size. */
function blob(staged: StagedArchive, d: Descriptor, what: string): StagedFile {
  if (typeof d?.digest !== 'string' || !isDigest(d.digest))
    throw bad(
      `${what} descriptor has an invalid or unsupported digest ${JSON.stringify(d?.digest)}`,
    );
  const f = file(staged, `blobs/sha256/${d.digest.slice(7)}`, what);
  if (typeof d.size === 'number' && d.size !== f.size)
    throw bad(`${what} ${d.digest}: size ${f.size} does not match the descriptor's ${d.size}`);
  return f;
}

function file(staged: StagedArchive, path: string, what: string): StagedFile {
  const f = staged.get(path);
  if (!f) throw bad(`${what} file ${JSON.stringify(path)} not found in the archive`);
  return f;
}

/** Parses a config and pairs its diff ids with the layer files, checking every digest. */
async function imageOf(cfg: StagedFile, layers: StagedFile[]): Promise<LoadPlanImage> {
  const config = await readCapped(cfg, 'config');
  const parsed = jsonOf(config, 'image config') as OciImageConfig;
  const diffIds = parsed?.rootfs?.diff_ids;
  if (!isStrings(diffIds) || !diffIds.every(isDigest))
    throw bad(`image config ${cfg.digest} has no valid rootfs.diff_ids`);
  if (diffIds.length !== layers.length)
    throw bad(
      `image config ${cfg.digest} lists ${diffIds.length} layers, the manifest ${layers.length}`,
    );
  const paired = layers.map((file, i) => {
    const diffId = diffIds[i] as Digest;
    const got = file.isGzip ? file.gunzipped?.digest : file.digest;
    if (got === undefined) throw bad(`layer ${i + 1} of ${cfg.digest}: corrupt gzip data`);
    if (got !== diffId)
      throw bad(
        `layer ${i + 1} of ${cfg.digest}: content digest ${got} does not match diff id ${diffId}`,
      );
    return { file, diffId };
  });
  return { configDigest: cfg.digest, config, parsed, layers: paired, refs: [] };
}

/** Names from io.containerd.image.name, or a full `name:tag` in org.opencontainers.image.ref.name. */
function refOf(d: Descriptor): string[] {
  const a = d.annotations ?? {};
  const full = a['io.containerd.image.name'];
  if (typeof full === 'string') return [normalizeTag(full)];
  const name = a['org.opencontainers.image.ref.name'];
  if (typeof name !== 'string') return [];
  try {
    return parseReference(name).tag !== undefined ? [normalize(name)] : []; // a bare tag names nothing
  } catch {
    return [];
  }
}

function normalizeTag(ref: string): string {
  try {
    return normalize(ref);
  } catch {
    throw bad(`invalid image reference ${JSON.stringify(ref)}`);
  }
}

async function readJson(staged: StagedArchive, path: string): Promise<unknown> {
  return parseJson(file(staged, path, 'metadata'), path);
}

async function parseJson(f: StagedFile, what: string): Promise<unknown> {
  return jsonOf(await readCapped(f, what), what);
}

async function readCapped(f: StagedFile, what: string): Promise<Buffer> {
  if (f.size > MAX_JSON) throw bad(`${what} is ${f.size} bytes, more than ${MAX_JSON}`);
  return readFile(f.file);
}

function jsonOf(buf: Buffer, what: string): unknown {
  try {
    return JSON.parse(buf.toString('utf8')) as unknown;
  } catch (e) {
    throw bad(`${what}: malformed JSON: ${(e as Error).message}`);
  }
}

function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}
