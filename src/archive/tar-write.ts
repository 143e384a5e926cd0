import type { Readable } from 'node:stream';
import type * as tar from 'tar-stream';
import type { Header } from 'tar-stream';
import { systemError } from '../errors/index.js';

/** A tar header as tar-stream's `entry` takes it. */
export type EntryHeader = Partial<Header> & Pick<Header, 'name'>;

/** Adds an entry with an in-memory body (or none) and resolves once it is in the pack. */
export function writeBufferEntry(pack: tar.Pack, h: EntryHeader, body?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const cb = (e?: Error | null): void => (e ? reject(e) : resolve());
    if (body === undefined) pack.entry(h, cb);
    else pack.entry(h, body, cb);
  });
}

/**
 * Adds a file entry of exactly `h.size` bytes read from `src`, honouring the pack's backpressure
 * (so an archive of any size streams in constant memory). Fails — and destroys `src` — when the
 * source yields more or fewer bytes than announced.
 */
export async function writeStreamEntry(
  pack: tar.Pack,
  h: EntryHeader & { size: number },
  src: Readable,
): Promise<void> {
  let sink!: ReturnType<tar.Pack['entry']>;
  const done = new Promise<void>((resolve, reject) => {
    sink = pack.entry({ ...h, type: 'file' }, (e) => (e ? reject(e) : resolve()));
  });
  done.catch(() => undefined); // awaited below; a failure meanwhile must not go unhandled
  let n = 0;
  try {
    for await (const chunk of src as AsyncIterable<Buffer>) {
      n += chunk.length;
      if (n > h.size) throw systemError(`${h.name}: source is larger than ${h.size} bytes`);
      if (!sink.write(chunk)) await new Promise<void>((r) => sink.once('drain', () => r()));
    }
  } catch (e) {
    src.destroy();
    sink.destroy(e as Error);
    throw e;
  }
  if (n !== h.size) {
    const e = systemError(`${h.name}: source has ${n} bytes, expected ${h.size}`);
    sink.destroy(e);
    throw e;
  }
  sink.end(undefined);
  await done;
}
