import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildTar } from '../../src/archive/tar-fixture.js';
import { digestOf, isDigest, type Digest } from '../../src/lib/digest.js';
import { execFile } from '../../src/lib/exec.js';
import {
  buildBusyboxImage,
  OCI_CONFIG,
  OCI_LAYER_GZIP,
  OCI_MANIFEST,
  type OciDescriptor,
} from '../../src/services/images/busybox-image.js';
import { ContentStore } from '../../src/store/content/content-store.js';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_LAYER_TAR = 'application/vnd.oci.image.layer.v1.tar';

/** Which image {@link buildOciLayout} / {@link pushTestImage} make. */
export type TestImageKind =
  /** One-layer busybox (runs `sh`, `echo`...). Default. */
  | { kind: 'busybox'; arch?: 'amd64' | 'arm64' }
  /**
   * `layers` layers of `layerBytes` random (incompressible) bytes each, one file per layer at
   * /data/layer<N>.bin, on top of busybox when `withBusybox` (so it can run).
   */
  | { kind: 'random'; layers: number; layerBytes: number; gzip?: boolean; withBusybox?: boolean }
  /** An OCI index with linux/amd64 and linux/arm64 busybox images (configs differ by arch). */
  | { kind: 'index' };

/** Options of {@link pushTestImage}. */
export interface PushOptions {
  image?: TestImageKind;
  /** Convert to Docker v2 schema 2 while copying (`skopeo --format v2s2`); default OCI as built. */
  format?: 'oci' | 'v2s2';
  /** Registry credentials (for a registry started with auth). */
  creds?: { username: string; password: string };
}

/** What was pushed: the reference and the manifest digest the registry stores. */
export interface PushedImage {
  /** `host/repo:tag`. */
  ref: string;
  /** `host/repo@sha256:…`. */
  digestRef: string;
  /** The digest of the top manifest (or index) as skopeo pushed it. */
  digest: Digest;
}

const layoutIndex = (d: OciDescriptor, tag: string) => ({
  schemaVersion: 2,
  manifests: [{ ...d, annotations: { 'org.opencontainers.image.ref.name': tag } }],
});

async function putJson(store: ContentStore, mediaType: string, v: unknown) {
  const { digest, size } = await store.writeBlob(Buffer.from(JSON.stringify(v)));
  return { mediaType, digest, size };
}

/** A plain one-file tar layer of random bytes: {blob descriptor, diffId}. */
async function randomLayer(store: ContentStore, n: number, bytes: number, gzip: boolean) {
  const tar = await buildTar([
    { header: { name: 'data/', type: 'directory', mode: 0o755 } },
    { header: { name: `data/layer${n}.bin`, mode: 0o644 }, content: randomBytes(bytes) },
  ]);
  const blob = gzip ? gzipSync(tar, { level: 1 }) : tar;
  const { digest, size } = await store.writeBlob(blob);
  const mediaType = gzip ? OCI_LAYER_GZIP : OCI_LAYER_TAR;
  return { desc: { mediaType, digest, size }, diffId: digestOf(tar) };
}

/**
 * Writes an OCI image layout (`oci-layout`, `index.json`, `blobs/sha256/…`) of a test image into
 * `dir`, tagged `tag`, and returns the top descriptor. Blobs are written through Berth's own
 * ContentStore, whose on-disk layout is the OCI one.
 */
export async function buildOciLayout(
  dir: string,
  tag: string,
  image: TestImageKind = { kind: 'busybox' },
): Promise<OciDescriptor> {
  const store = await ContentStore.open(dir);
  let top: OciDescriptor;
  if (image.kind === 'busybox') {
    const b = await buildBusyboxImage(store, { arch: image.arch ?? 'amd64' });
    top = {
      mediaType: OCI_MANIFEST,
      digest: b.manifestDigest,
      size: (await store.size(b.manifestDigest)) ?? 0,
    };
  } else if (image.kind === 'index') {
    const entries = [];
    for (const arch of ['amd64', 'arm64'] as const) {
      const b = await buildBusyboxImage(store, { arch });
      const size = (await store.size(b.manifestDigest)) ?? 0;
      entries.push({
        mediaType: OCI_MANIFEST,
        digest: b.manifestDigest,
        size,
        platform: {
          architecture: arch,
          os: 'linux',
          ...(arch === 'arm64' ? { variant: 'v8' } : {}),
        },
      });
    }
    top = await putJson(store, OCI_INDEX, {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: entries,
    });
  } else {
    const layers: OciDescriptor[] = [];
    const diffIds: Digest[] = [];
    if (image.withBusybox === true) {
      const b = await buildBusyboxImage(store, { arch: 'amd64' });
      layers.push(...b.manifest.layers);
      diffIds.push(...b.layers.map((l) => l.diffId));
    }
    for (let i = 0; i < image.layers; i++) {
      const l = await randomLayer(store, i, image.layerBytes, image.gzip ?? true);
      layers.push(l.desc);
      diffIds.push(l.diffId);
    }
    const config = {
      created: '2024-01-01T00:00:00Z',
      architecture: 'amd64',
      os: 'linux',
      config: {
        Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
        Cmd: ['sh'],
      },
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: diffIds.map(() => ({ created: '2024-01-01T00:00:00Z', created_by: 'test layer' })),
    };
    const cfg = await putJson(store, OCI_CONFIG, config);
    top = await putJson(store, OCI_MANIFEST, {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: cfg,
      layers,
    });
  }
  await rm(join(dir, 'ingest'), { recursive: true, force: true });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(join(dir, 'index.json'), JSON.stringify(layoutIndex(top, tag)));
  return top;
}

/**
 * Builds a test image and pushes it to `registryHost` (127.0.0.1:PORT) as `repoTag` (`repo:tag`)
 * with `skopeo copy` (plain HTTP). Returns the pushed reference and its manifest digest.
 */
export async function pushTestImage(
  registryHost: string,
  repoTag: string,
  opts: PushOptions = {},
): Promise<PushedImage> {
  const colon = repoTag.lastIndexOf(':');
  if (colon <= 0) throw new Error(`pushTestImage: want repo:tag, got ${repoTag}`);
  const repo = repoTag.slice(0, colon);
  const tag = repoTag.slice(colon + 1);
  const dir = `/tmp/berth-test-oci-${randomBytes(4).toString('hex')}`;
  await mkdir(dir, { recursive: true });
  try {
    const image = opts.image ?? { kind: 'busybox' };
    await buildOciLayout(dir, tag, image);
    const args = [
      'copy',
      '--quiet',
      '--dest-tls-verify=false',
      '--digestfile',
      join(dir, 'digest'),
    ];
    if (image.kind === 'index') args.push('--all');
    if (opts.format === 'v2s2') args.push('--format', 'v2s2');
    if (opts.creds) args.push('--dest-creds', `${opts.creds.username}:${opts.creds.password}`);
    args.push(`oci:${dir}:${tag}`, `docker://${registryHost}/${repo}:${tag}`);
    const r = await execFile('skopeo', args, {
      timeoutMs: 300_000,
      env: { ...process.env, REGISTRY_AUTH_FILE: join(dir, 'auth.json') },
    });
    if (r.code !== 0) throw new Error(`skopeo copy failed: ${r.stderr}`);
    const digest = (await readFile(join(dir, 'digest'), 'utf8')).trim();
    if (!isDigest(digest)) throw new Error(`skopeo wrote a bad digest: ${digest}`);
    return {
      ref: `${registryHost}/${repo}:${tag}`,
      digestRef: `${registryHost}/${repo}@${digest}`,
      digest,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
