import type { Readable } from 'node:stream';
import { systemError } from '../errors/index.js';
import type { Digest } from '../lib/digest.js';
import type { PushTransport } from './push-transport.js';

/** A blob to push: its digest, size and a way to read it (called once per upload attempt). */
export interface PushBlob {
  digest: Digest;
  size: number;
  /** Reads bytes [start, end) (end exclusive); the whole blob when omitted. */
  open(range?: { start: number; end: number }): Readable;
}

/** Options of {@link pushBlob}. */
export interface PushBlobOptions {
  /** Repositories of the same registry that hold the blob: tried as cross-repository mounts. */
  mountFrom?: string[];
  /** Blobs larger than this are sent in PATCH chunks of this size (default 16 MiB). */
  chunkSize?: number;
  /** Bytes sent so far (for progress). */
  onProgress?: (sent: number) => void;
}

/** How a blob reached the registry. */
export type PushBlobResult =
  { how: 'exists' } | { how: 'mounted'; from: string } | { how: 'pushed' };

const DEFAULT_CHUNK = 16 * 1024 * 1024;

const scopesFor = (repo: string, from?: string) =>
  from === undefined
    ? [`repository:${repo}:pull,push`]
    : [`repository:${repo}:pull,push`, `repository:${from}:pull`];

/**
 * Puts one blob into `repo` the cheapest way: nothing when a HEAD finds it; a cross-repository
 * mount (`POST …/blobs/uploads/?mount=&from=`, 201) when another repository of the registry has
 * it; otherwise an upload session: one monolithic PUT with `?digest=` for blobs up to the chunk
 * size, else PATCH chunks with Content-Range followed by a closing PUT. The registry verifies the
 * digest; a registry that answers the mount with 202 just starts a normal upload.
 */
export async function pushBlob(
  t: PushTransport,
  repo: string,
  blob: PushBlob,
  opts: PushBlobOptions = {},
): Promise<PushBlobResult> {
  const head = await t.send({
    method: 'HEAD',
    url: `/v2/${repo}/blobs/${blob.digest}`,
    scopes: scopesFor(repo),
    what: `checking blob ${blob.digest}`,
    accept: [404],
  });
  head.resume();
  if (head.statusCode === 200) return { how: 'exists' };
  let location: string | undefined;
  for (const from of opts.mountFrom ?? []) {
    if (from === repo) continue;
    const q = new URLSearchParams({ mount: blob.digest, from });
    const res = await t.send({
      method: 'POST',
      url: `/v2/${repo}/blobs/uploads/?${q}`,
      scopes: scopesFor(repo, from),
      what: `mounting blob ${blob.digest} from ${from}`,
    });
    res.resume();
    if (res.statusCode === 201) return { how: 'mounted', from };
    location = String(res.headers.location ?? '');
    break;
  }
  location ||= await startUpload(t, repo);
  const chunk = opts.chunkSize ?? DEFAULT_CHUNK;
  if (blob.size <= chunk) {
    await finish(t, repo, location, blob, () => blob.open());
  } else {
    for (let start = 0; start < blob.size; start += chunk) {
      const end = Math.min(start + chunk, blob.size);
      const res = await t.send({
        method: 'PATCH',
        url: location,
        scopes: scopesFor(repo),
        headers: {
          'Content-Type': 'application/octet-stream',
          'Content-Range': `${start}-${end - 1}`,
          'Content-Length': String(end - start),
        },
        body: () => blob.open({ start, end }),
        what: `uploading blob ${blob.digest}`,
      });
      res.resume();
      location = nextLocation(res.headers.location, location);
      opts.onProgress?.(end);
    }
    await finish(t, repo, location, blob, undefined);
  }
  opts.onProgress?.(blob.size);
  return { how: 'pushed' };
}

async function startUpload(t: PushTransport, repo: string): Promise<string> {
  const res = await t.send({
    method: 'POST',
    url: `/v2/${repo}/blobs/uploads/`,
    scopes: scopesFor(repo),
    what: `starting an upload to ${repo}`,
  });
  res.resume();
  return nextLocation(res.headers.location, undefined);
}

function nextLocation(h: string | string[] | undefined, previous: string | undefined): string {
  const v = Array.isArray(h) ? h[0] : h;
  if (v !== undefined && v !== '') return v;
  if (previous !== undefined) return previous;
  throw systemError('registry started an upload without a Location header');
}

/** The closing PUT `<location>?digest=`: with the whole body (monolithic) or empty (after PATCHes). */
async function finish(
  t: PushTransport,
  repo: string,
  location: string,
  blob: PushBlob,
  body: (() => Readable) | undefined,
): Promise<void> {
  const url = t.resolve(location);
  url.searchParams.set('digest', blob.digest);
  const res = await t.send({
    method: 'PUT',
    url: url.href,
    scopes: scopesFor(repo),
    headers: {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(body === undefined ? 0 : blob.size),
    },
    ...(body !== undefined ? { body } : {}),
    what: `uploading blob ${blob.digest}`,
  });
  res.resume();
}
