import { Transform } from 'node:stream';

/**
 * Completes a tar stream that ends without its padding and end-of-archive blocks: the docker CLI
 * sends a build context that way when it appends a Dockerfile from outside the context (Go's tar
 * reader accepts it). Pads to the next 512-byte block and adds two zero blocks; after a complete
 * archive the extra zeros are past its end and harmless.
 */
export function padTar(): Transform {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      cb(null, chunk);
    },
    flush(cb) {
      cb(null, Buffer.alloc(((512 - (n % 512)) % 512) + 1024));
    },
  });
}
