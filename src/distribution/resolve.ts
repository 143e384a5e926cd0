import { createHash } from 'node:crypto';
import { invalidParameter, isKind, notFound } from '../errors/index.js';
import { isDigest, type Digest } from '../lib/digest.js';
import { readBody } from './http-request.js';
import {
  configDiffIds,
  MAX_MANIFEST_BYTES,
  parseManifest,
  type Descriptor,
  type Platform,
} from './manifest.js';
import { manifestAccept } from './media-types.js';
import { choosePlatform, formatPlatform } from './platform.js';
import type { RegistryClient } from './registry-client.js';

/** What to pull: a repository in the client's registry and a tag or digest. */
export interface PullTarget {
  /** Repository path inside the registry (`library/busybox`, `test/app`). */
  repository: string;
  /** A tag or a `sha256:` digest. */
  reference: string;
  /** How the user named it, for messages (`127.0.0.1:5000/test/app:1`). */
  display: string;
}

/** A resolved image: manifest and config fetched and verified, layers still to download. */
export interface ResolvedPull {
  /** The digest users see and RepoDigests record: the index's when pulled through one. */
  repoDigest: Digest;
  manifestDigest: Digest;
  manifestBytes: Buffer;
  mediaType: string;
  configDigest: Digest;
  configBytes: Buffer;
  config: Record<string, unknown>;
  layers: Descriptor[];
  diffIds: Digest[];
}

const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
const sha256 = (b: Buffer): Digest => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Fetches one manifest by tag or digest and checks its digest. */
async function fetchManifest(client: RegistryClient, t: PullTarget, ref: string) {
  const what = `manifest for ${t.display}`;
  let res;
  try {
    res = await client.request({
      path: `/v2/${t.repository}/manifests/${encodeURIComponent(ref)}`,
      scope: `repository:${t.repository}:pull`,
      accept: manifestAccept,
      what,
    });
  } catch (e) {
    if (isKind(e, 'NotFound')) throw notFound(`${what} not found: ${stripWhat(e.message, what)}`);
    if (isKind(e, 'Unauthorized') || isKind(e, 'Forbidden'))
      throw notFound(
        `pull access denied for ${t.display}, repository does not exist or may require 'docker login': ${stripWhat(e.message, what)}`,
      );
    throw e;
  }
  const len = Number(res.headers['content-length'] ?? 0);
  if (len > MAX_MANIFEST_BYTES) {
    res.destroy();
    throw invalidParameter(`${what}: manifest of ${len} bytes is too large`);
  }
  const bytes = await readBody(res, MAX_MANIFEST_BYTES).catch((e: Error) => {
    throw invalidParameter(`${what}: ${e.message}`);
  });
  const digest = sha256(bytes);
  const header = res.headers['docker-content-digest'];
  if (isDigest(ref) && digest !== ref)
    throw invalidParameter(`${what}: manifest digest mismatch: asked for ${ref}, got ${digest}`);
  if (typeof header === 'string' && isDigest(header) && header !== digest)
    throw invalidParameter(
      `${what}: manifest digest mismatch: registry says ${header}, content is ${digest}`,
    );
  return { bytes, digest, contentType: String(res.headers['content-type'] ?? '') };
}

function stripWhat(message: string, what: string): string {
  return message.startsWith(`${what}: `) ? message.slice(what.length + 2) : message;
}

/**
 * Resolves `t` to one image manifest for `platform` (through a manifest list / OCI index when the
 * registry has one), then fetches and verifies its config. NotFound for an unknown repository,
 * tag or platform; InvalidParameter for malformed or mismatching content; NotImplemented for
 * unsupported media types. Nothing is stored.
 */
export async function resolvePull(
  client: RegistryClient,
  t: PullTarget,
  platform: Platform,
  explicitPlatform: boolean,
): Promise<ResolvedPull> {
  let m = await fetchManifest(client, t, t.reference);
  const repoDigest = m.digest;
  let parsed = parseManifest(m.bytes, m.contentType);
  if (parsed.kind === 'index') {
    const entry = choosePlatform(parsed.manifests, platform);
    m = await fetchManifest(client, t, entry.digest);
    if (m.bytes.length !== entry.size)
      throw invalidParameter(
        `manifest ${entry.digest}: size ${m.bytes.length}, index says ${entry.size}`,
      );
    parsed = parseManifest(m.bytes, m.contentType);
    if (parsed.kind === 'index')
      throw invalidParameter(`manifest list for ${t.display} points at another manifest list`);
  }
  const cfg = parsed.config;
  if (cfg.size > MAX_CONFIG_BYTES)
    throw invalidParameter(`image config of ${cfg.size} bytes is too large`);
  const res = await client.request({
    path: `/v2/${t.repository}/blobs/${cfg.digest}`,
    scope: `repository:${t.repository}:pull`,
    what: `config ${cfg.digest} of ${t.display}`,
  });
  const configBytes = await readBody(res, cfg.size).catch(() => {
    throw invalidParameter(
      `image config ${cfg.digest} is larger than its descriptor's ${cfg.size} bytes`,
    );
  });
  if (configBytes.length !== cfg.size || sha256(configBytes) !== cfg.digest)
    throw invalidParameter(
      `image config ${cfg.digest}: digest or size mismatch (truncated or corrupt)`,
    );
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(configBytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw invalidParameter(`malformed image config ${cfg.digest}: not JSON`);
  }
  const diffIds = configDiffIds(config, parsed.layers.length);
  if (
    explicitPlatform &&
    (config['os'] !== platform.os || config['architecture'] !== platform.architecture)
  )
    throw notFound(
      `image ${t.display} is for ${String(config['os'])}/${String(config['architecture'])}, not ${formatPlatform(platform)}`,
    );
  return {
    repoDigest,
    manifestDigest: m.digest,
    manifestBytes: m.bytes,
    mediaType: parsed.mediaType,
    configDigest: cfg.digest,
    configBytes,
    config,
    layers: parsed.layers,
    diffIds,
  };
}
