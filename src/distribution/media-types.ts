/** Manifest, config and layer media types Berth's pull understands (Docker v2 schema 2, OCI). */
export const MediaTypes = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayer: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociLayerNd: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  ociLayerNdGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  ociLayerNdZstd: 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
} as const;

/** Image manifests (one platform). */
export const imageManifestTypes: readonly string[] = [
  MediaTypes.dockerManifest,
  MediaTypes.ociManifest,
];
/** Manifest lists / indexes (several platforms). */
export const indexTypes: readonly string[] = [MediaTypes.dockerList, MediaTypes.ociIndex];
/** Image config blobs. */
export const configTypes: readonly string[] = [MediaTypes.dockerConfig, MediaTypes.ociConfig];
/** Layer blobs Berth can unpack (the compression itself is sniffed from the bytes). */
export const layerTypes: readonly string[] = [
  MediaTypes.dockerLayerGzip,
  MediaTypes.ociLayer,
  MediaTypes.ociLayerGzip,
  MediaTypes.ociLayerZstd,
  MediaTypes.ociLayerNd,
  MediaTypes.ociLayerNdGzip,
  MediaTypes.ociLayerNdZstd,
];

/** The Accept header of a manifest request: every manifest type we can use, best first. */
export const manifestAccept = [
  MediaTypes.ociIndex,
  MediaTypes.dockerList,
  MediaTypes.ociManifest,
  MediaTypes.dockerManifest,
].join(', ');
