import * as tar from 'tar-stream';
import type { Header } from 'tar-stream';

/** One entry of a test tar: a header and, for files, the content. */
export interface TestEntry {
  header: Partial<Header> & { name: string };
  content?: string | Buffer;
}

/** Builds a tar archive in memory (for tests: hostile and well-formed layers alike). */
export async function buildTar(entries: TestEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c: unknown) => void chunks.push(c as Buffer));
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const e of entries) {
    await new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (e.content === undefined) pack.entry(e.header, cb);
      else pack.entry(e.header, e.content, cb);
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}
