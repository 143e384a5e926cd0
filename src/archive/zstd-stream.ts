import { Transform } from 'node:stream';
import { Decompress } from 'fzstd';

/**
 * A zstd decompressing stream. Node 20's zlib has no zstd (it arrived in Node 22.15/23.8), so this
 * wraps fzstd, a dependency-free pure-JS streaming decoder (no native build, no download at
 * install). Corrupt input fails the stream with fzstd's error.
 */
export function createZstdDecompress(): Transform {
  const dec = new Decompress((chunk) => {
    // Copied: the decoder may reuse its window buffer after the callback returns.
    if (chunk.length > 0) out.push(Buffer.from(chunk));
  });
  const out = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      try {
        dec.push(chunk);
        cb();
      } catch (e) {
        cb(e instanceof Error ? e : new Error(String(e)));
      }
    },
    flush(cb) {
      try {
        dec.push(new Uint8Array(0), true);
        cb();
      } catch (e) {
        cb(e instanceof Error ? e : new Error(`invalid zstd data: ${String(e)}`));
      }
    },
  });
  return out;
}
