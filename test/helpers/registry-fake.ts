import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { buildTar } from '../../src/archive/tar-fixture.js';
import { digestOf, type Digest } from '../../src/lib/digest.js';

/** A handler for one path of the fake registry. */
export type FakeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** A hostile / scripted registry on 127.0.0.1 for tests of bad content and interrupted pulls. */
export interface FakeRegistry {
  host: string;
  /** Serves `path` (e.g. `/v2/bad/manifests/1`) with `h`; replaces any earlier handler. */
  on(path: string, h: FakeHandler): void;
  /** Every request path seen, in order. */
  seen: string[];
  stop(): Promise<void>;
}

/** Starts the fake registry: `/v2/` answers 200; unknown paths a registry-style 404. */
export async function startFakeRegistry(): Promise<FakeRegistry> {
  const routes = new Map<string, FakeHandler>();
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    seen.push(path);
    const h = routes.get(path);
    if (h) return h(req, res);
    if (path === '/v2/') return void res.writeHead(200).end('{}');
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }],
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  return {
    host: `127.0.0.1:${port}`,
    on: (p, h) => void routes.set(p, h),
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves fixed bytes with a content type. */
export function bytes(body: Buffer, contentType = 'application/octet-stream'): FakeHandler {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': body.length });
    res.end(body);
  };
}

/** A small valid one-layer image (gzip layer with one file), as blobs to serve. */
export async function smallImage(content = 'hello from the fake registry\n') {
  const tar = await buildTar([
    { header: { name: 'etc/', type: 'directory', mode: 0o755 } },
    { header: { name: 'etc/fake.txt', mode: 0o644 }, content },
  ]);
  const layer = gzipSync(tar);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['sh'] },
      rootfs: { type: 'layers', diff_ids: [digestOf(tar)] },
    }),
  );
  const manifestOf = (
    over: { layerDigest?: Digest; layerSize?: number; mediaType?: string } = {},
  ) =>
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: over.mediaType ?? 'application/vnd.oci.image.manifest.v1+json',
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: digestOf(config),
          size: config.length,
        },
        layers: [
          {
            mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
            digest: over.layerDigest ?? digestOf(layer),
            size: over.layerSize ?? layer.length,
          },
        ],
      }),
    );
  return {
    tar,
    layer,
    layerDigest: digestOf(layer),
    config,
    configDigest: digestOf(config),
    manifestOf,
  };
}
