import { gzipSync } from 'node:zlib';
import { invalidParameter } from '../../errors/index.js';
import { digestOf, type Digest } from '../../lib/digest.js';
import type { ContentStore } from '../../store/content/content-store.js';
import {
  BUSYBOX_EPOCH,
  buildBusyboxLayerTar,
  busyboxVersion,
  listApplets,
} from './busybox-layer.js';
import type { OciImageConfig } from './types.js';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';

/** An OCI content descriptor. */
export interface OciDescriptor {
  mediaType: string;
  digest: Digest;
  size: number;
}

/** An OCI image manifest (the fields Berth writes). */
export interface OciImageManifest {
  schemaVersion: 2;
  mediaType: typeof OCI_MANIFEST;
  config: OciDescriptor;
  layers: OciDescriptor[];
}

/** Options of {@link buildBusyboxImage}. */
export interface BusyboxImageOptions {
  /** The static busybox binary to package (default /bin/busybox). */
  busyboxPath?: string;
  /** Architecture recorded in the config; must match the binary. */
  arch: 'amd64' | 'arm64';
}

/** The built image: everything registerImage needs, all blobs already in the content store. */
export interface BuiltImage {
  manifestDigest: Digest;
  configDigest: Digest;
  manifest: OciImageManifest;
  config: OciImageConfig;
  layers: { digest: Digest; diffId: Digest; size: number; uncompressedSize: number }[];
}

/**
 * Builds a one-layer OCI image from the host's static busybox, for offline use (the hermetic
 * `busybox` fixture; never Docker Hub). Deterministic: fixed mtimes and entry order, gzip without
 * a timestamp and a fixed `created`, so the same binary always gives the same image id (config
 * digest). The layer holds the usual directories, /bin/busybox plus one hardlink per applet in
 * /bin, and /etc/passwd and /etc/group.
 */
export async function buildBusyboxImage(
  store: ContentStore,
  opts: BusyboxImageOptions,
): Promise<BuiltImage> {
  if (opts.arch !== 'amd64' && opts.arch !== 'arm64')
    throw invalidParameter(`unsupported architecture ${String(opts.arch)}`);
  const busybox = opts.busyboxPath ?? '/bin/busybox';
  const [applets, version] = await Promise.all([listApplets(busybox), busyboxVersion(busybox)]);
  const layerTar = await buildBusyboxLayerTar(busybox, applets);
  const diffId = digestOf(layerTar);
  // gzip header mtime is 0 and the OS byte fixed, so the blob is stable for a given zlib.
  const layerBlob = await store.writeBlob(gzipSync(layerTar, { level: 9 }));
  const created = BUSYBOX_EPOCH.toISOString().replace('.000Z', 'Z');
  const config: OciImageConfig = {
    created,
    architecture: opts.arch,
    os: 'linux',
    config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Cmd: ['sh'],
    },
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created, created_by: `berth image bootstrap: busybox-static ${version}` }],
  };
  const configBlob = await store.writeBlob(Buffer.from(JSON.stringify(config)));
  const manifest: OciImageManifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: configBlob.digest, size: configBlob.size },
    layers: [{ mediaType: OCI_LAYER_GZIP, digest: layerBlob.digest, size: layerBlob.size }],
  };
  const manifestBlob = await store.writeBlob(Buffer.from(JSON.stringify(manifest)));
  return {
    manifestDigest: manifestBlob.digest,
    configDigest: configBlob.digest,
    manifest,
    config,
    layers: [
      { digest: layerBlob.digest, diffId, size: layerBlob.size, uncompressedSize: layerTar.length },
    ],
  };
}
