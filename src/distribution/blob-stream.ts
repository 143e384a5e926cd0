import { PassThrough, Transform, type Readable } from 'node:stream';
import { invalidParameter } from '../errors/index.js';
import type { Descriptor } from './manifest.js';
import type { RegistryClient } from './registry-client.js';

const COALESCE_BYTES = 1 << 20;

/**
 * Opens a layer blob for download. The returned stream counts bytes (`onBytes` gets the running
 * total), fails as soon as more than `desc.size` bytes arrive, and fails at the end when fewer
 * did (a truncated body). Digest verification is the consumer's job (ContentStore.ingest).
 */
export async function openBlob(
  client: RegistryClient,
  repository: string,
  desc: Descriptor,
  onBytes: (total: number) => void,
): Promise<Readable> {
  const res = await client.request({
    path: `/v2/${repository}/blobs/${desc.digest}`,
    scope: `repository:${repository}:pull`,
    what: `blob ${desc.digest}`,
    timeoutMs: 60_000,
  });
  const len = res.headers['content-length'];
  if (len !== undefined && Number(len) !== desc.size) {
    res.destroy();
    throw invalidParameter(
      `blob ${desc.digest}: the registry sends ${String(len)} bytes, the manifest says ${desc.size}`,
    );
  }
  let total = 0;
  // Network chunks (~64 KiB) are coalesced into 1 MiB ones: hashing, file writes and the tar
  // parser downstream each pay per chunk, so this makes the unpack several times faster.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      total += chunk.length;
      if (total > desc.size) {
        cb(invalidParameter(`blob ${desc.digest} is larger than the expected ${desc.size} bytes`));
        return;
      }
      onBytes(total);
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= COALESCE_BYTES) {
        const out = Buffer.concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
        cb(null, out);
      } else cb();
    },
    flush(cb) {
      if (total !== desc.size)
        cb(
          invalidParameter(`blob ${desc.digest} is truncated: got ${total} of ${desc.size} bytes`),
        );
      else cb(null, pendingBytes > 0 ? Buffer.concat(pending, pendingBytes) : undefined);
    },
  });
  res.on('error', (e) => counter.destroy(e));
  counter.on('error', () => undefined); // consumers see it through their reads
  res.on('aborted', () => counter.destroy(new Error(`download of ${desc.digest} aborted`)));
  counter.on('close', () => res.destroy());
  return res.pipe(counter);
}

/**
 * Splits one stream into two with shared backpressure: the source pauses until both branches
 * drain. Destroying either branch (a consumer failing) destroys the source and the other branch,
 * so neither consumer waits forever; a source error reaches both.
 */
export function tee(src: Readable): [PassThrough, PassThrough] {
  const a = new PassThrough({ highWaterMark: 1 << 20 });
  const b = new PassThrough({ highWaterMark: 1 << 20 });
  let waiting = 0;
  const resume = () => {
    if (--waiting === 0) src.resume();
  };
  src.on('data', (chunk: Buffer) => {
    const okA = a.write(chunk);
    const okB = b.write(chunk);
    if (!okA || !okB) {
      src.pause();
      waiting = (okA ? 0 : 1) + (okB ? 0 : 1);
      if (!okA) a.once('drain', resume);
      if (!okB) b.once('drain', resume);
    }
  });
  src.on('end', () => {
    a.end();
    b.end();
  });
  const fail = (e: Error) => {
    a.destroy(e);
    b.destroy(e);
  };
  src.on('error', fail);
  for (const branch of [a, b]) {
    // Each consumer sees the error through its own read; an unobserved 'error' event on a
    // branch nobody reads any more must not crash the daemon.
    branch.on('error', () => undefined);
    branch.on('close', () => {
      if (!branch.writableFinished) {
        const e = new Error('download cancelled');
        src.destroy(e);
        a.destroy(e);
        b.destroy(e);
      }
    });
  }
  if (src.destroyed) fail(src.errored ?? new Error('download stream closed early'));
  return [a, b];
}
