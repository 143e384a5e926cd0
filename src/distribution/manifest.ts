import { invalidParameter, notImplemented } from '../errors/index.js';
import { isDigest, type Digest } from '../lib/digest.js';
import {
  configTypes,
  imageManifestTypes,
  indexTypes,
  layerTypes,
  MediaTypes,
} from './media-types.js';

/** A content descriptor, validated. */
export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  urls?: string[];
}

/** A platform as manifest lists record it. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** An index entry: a descriptor with its platform (entries without one are skipped). */
export interface IndexEntry extends Descriptor {
  platform?: Platform;
}

/** A parsed manifest: either an image manifest or an index / manifest list. */
export type ParsedManifest =
  | { kind: 'image'; mediaType: string; config: Descriptor; layers: Descriptor[] }
  | { kind: 'index'; mediaType: string; manifests: IndexEntry[] };

/** Manifests above this size are refused before parsing (Docker's limit is 4 MiB). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

const bad = (why: string) => invalidParameter(`malformed manifest: ${why}`);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function descriptor(v: unknown, where: string): Descriptor {
  if (!isObject(v)) throw bad(`${where} is not an object`);
  const { mediaType, digest, size, urls } = v;
  if (typeof mediaType !== 'string' || mediaType === '') throw bad(`${where} has no mediaType`);
  if (typeof digest !== 'string' || !isDigest(digest))
    throw bad(`${where} has an invalid or unsupported digest ${JSON.stringify(digest)}`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
    throw bad(`${where} has an invalid size`);
  const d: Descriptor = { mediaType, digest, size };
  if (Array.isArray(urls) && urls.length > 0) d.urls = urls.filter((u) => typeof u === 'string');
  return d;
}

function platformOf(v: unknown): Platform | undefined {
  if (!isObject(v)) return undefined;
  const { os, architecture, variant } = v;
  if (typeof os !== 'string' || typeof architecture !== 'string') return undefined;
  return typeof variant === 'string' && variant !== ''
    ? { os, architecture, variant }
    : { os, architecture };
}

/**
 * Parses and validates manifest bytes. The media type comes from the body's `mediaType` field,
 * else from the response's Content-Type; the two must agree when both name a manifest type.
 * Schema 1 and unknown types are NotImplemented ("unsupported media type"); anything malformed
 * is InvalidParameter. Only the fields Berth uses are checked, but those strictly.
 */
export function parseManifest(bytes: Buffer, contentType: string): ParsedManifest {
  if (bytes.length > MAX_MANIFEST_BYTES) throw bad(`larger than ${MAX_MANIFEST_BYTES} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw bad(`not JSON (${(e as Error).message})`);
  }
  if (!isObject(body)) throw bad('not a JSON object');
  const header = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const field = typeof body['mediaType'] === 'string' ? body['mediaType'] : undefined;
  const known = [...imageManifestTypes, ...indexTypes];
  if (field !== undefined && known.includes(header) && field !== header)
    throw bad(`mediaType ${field} does not match the Content-Type ${header}`);
  let mediaType = field ?? header;
  // An OCI document may omit mediaType; tell an index from a manifest by its fields.
  if (!known.includes(mediaType) && field === undefined && body['schemaVersion'] === 2)
    mediaType = Array.isArray(body['manifests']) ? MediaTypes.ociIndex : MediaTypes.ociManifest;
  if (mediaType === MediaTypes.dockerSchema1 || mediaType === MediaTypes.dockerSchema1Signed)
    throw notImplemented(
      `unsupported media type ${mediaType}: Docker image manifest schema 1 is deprecated and not supported`,
    );
  if (!known.includes(mediaType))
    throw notImplemented(`unsupported manifest media type ${JSON.stringify(mediaType)}`);
  if (body['schemaVersion'] !== 2) throw bad('schemaVersion is not 2');
  if (indexTypes.includes(mediaType)) {
    const list = body['manifests'];
    if (!Array.isArray(list)) throw bad('manifests is not a list');
    const manifests = list.map((m, i) => {
      const d: IndexEntry = descriptor(m, `manifests[${i}]`);
      const p = platformOf((m as Record<string, unknown>)['platform']);
      if (p) d.platform = p;
      return d;
    });
    return { kind: 'index', mediaType, manifests };
  }
  const config = descriptor(body['config'], 'config');
  if (!configTypes.includes(config.mediaType))
    throw notImplemented(
      `unsupported config media type ${JSON.stringify(config.mediaType)}: not a container image`,
    );
  const rawLayers = body['layers'];
  if (!Array.isArray(rawLayers)) throw bad('layers is not a list');
  const layers = rawLayers.map((l, i) => descriptor(l, `layers[${i}]`));
  for (const l of layers) {
    if (l.mediaType === MediaTypes.dockerForeignLayer || !layerTypes.includes(l.mediaType))
      throw notImplemented(`unsupported layer media type ${JSON.stringify(l.mediaType)}`);
  }
  return { kind: 'image', mediaType, config, layers };
}

/** The diff ids of a config blob, checked against the manifest's layer count. */
export function configDiffIds(config: unknown, layerCount: number): Digest[] {
  if (!isObject(config)) throw invalidParameter('malformed image config: not a JSON object');
  const rootfs = config['rootfs'];
  const ids = isObject(rootfs) ? rootfs['diff_ids'] : undefined;
  if (!Array.isArray(ids) || !ids.every((d): d is Digest => typeof d === 'string' && isDigest(d)))
    throw invalidParameter('malformed image config: rootfs.diff_ids is not a list of digests');
  if (ids.length !== layerCount)
    throw invalidParameter(
      `malformed image: the config lists ${ids.length} layers, the manifest ${layerCount}`,
    );
  return ids;
}
