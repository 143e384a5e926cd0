import assert from 'node:assert/strict';
import { test } from 'node:test';
import { digestOf } from '../lib/digest.js';
import { configDiffIds, parseManifest } from './manifest.js';
import { MediaTypes } from './media-types.js';

const d = digestOf('x');
const image = (over: Record<string, unknown> = {}) =>
  Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaTypes.dockerManifest,
      config: { mediaType: MediaTypes.dockerConfig, digest: d, size: 10 },
      layers: [{ mediaType: MediaTypes.dockerLayerGzip, digest: d, size: 20 }],
      ...over,
    }),
  );

test('parses Docker v2 schema 2 and OCI manifests, and indexes with platforms', () => {
  const m = parseManifest(image(), MediaTypes.dockerManifest);
  assert.equal(m.kind, 'image');
  const oci = parseManifest(
    image({
      mediaType: undefined,
      config: { mediaType: MediaTypes.ociConfig, digest: d, size: 1 },
    }),
    'application/json',
  );
  assert.equal(oci.mediaType, MediaTypes.ociManifest);
  const idx = parseManifest(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaTypes.ociIndex,
        manifests: [
          {
            mediaType: MediaTypes.ociManifest,
            digest: d,
            size: 3,
            platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
          },
        ],
      }),
    ),
    MediaTypes.ociIndex,
  );
  assert.equal(idx.kind, 'index');
  assert.deepEqual(idx.kind === 'index' && idx.manifests[0]?.platform, {
    os: 'linux',
    architecture: 'arm64',
    variant: 'v8',
  });
});

test('refuses malformed and unsupported manifests with clear messages', () => {
  assert.throws(() => parseManifest(Buffer.from('{'), ''), /malformed manifest: not JSON/);
  assert.throws(() => parseManifest(image({ layers: 'x' }), ''), /layers is not a list/);
  assert.throws(
    () =>
      parseManifest(
        image({ config: { mediaType: MediaTypes.dockerConfig, digest: 'md5:x', size: 1 } }),
        '',
      ),
    /invalid or unsupported digest/,
  );
  assert.throws(
    () => parseManifest(image({ mediaType: MediaTypes.dockerSchema1Signed }), ''),
    /schema 1/,
  );
  assert.throws(
    () => parseManifest(image({ mediaType: 'application/x-other' }), ''),
    /unsupported manifest media type/,
  );
  assert.throws(
    () =>
      parseManifest(
        image({
          config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: d, size: 1 },
        }),
        '',
      ),
    /not a container image/,
  );
  assert.throws(
    () =>
      parseManifest(
        image({ layers: [{ mediaType: MediaTypes.dockerForeignLayer, digest: d, size: 1 }] }),
        '',
      ),
    /unsupported layer media type/,
  );
  assert.throws(
    () => parseManifest(image(), MediaTypes.ociManifest),
    /does not match the Content-Type/,
  );
});

test('configDiffIds checks the list against the layer count', () => {
  assert.deepEqual(configDiffIds({ rootfs: { type: 'layers', diff_ids: [d] } }, 1), [d]);
  assert.throws(
    () => configDiffIds({ rootfs: { diff_ids: [d] } }, 2),
    /config lists 1 layers, the manifest 2/,
  );
  assert.throws(
    () => configDiffIds({ rootfs: { diff_ids: ['nope'] } }, 1),
    /not a list of digests/,
  );
  assert.throws(() => configDiffIds([], 0), /not a JSON object/);
});
