import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { encodeTarHeader, END_OF_ARCHIVE, paddingOf } from './tar-header.js';

/** Reads back the names, link names, ids and sizes of an archive of header-only entries. */
async function readBack(buf: Buffer) {
  const ex = tar.extract();
  Readable.from([buf]).pipe(ex as unknown as NodeJS.WritableStream);
  const out: { name: string; linkname: string | null; uid: number; type: string }[] = [];
  for await (const e of ex) {
    for await (const _ of e) void _;
    const h = e.header;
    out.push({ name: h.name, linkname: h.linkname ?? null, uid: h.uid ?? 0, type: h.type ?? '' });
  }
  return out;
}

test('names of every length around the PAX record-length boundaries round-trip', async () => {
  const names: string[] = [];
  for (let n = 95; n < 1010; n += 1)
    names.push(`${'d/'.repeat(Math.floor(n / 4))}${'f'.repeat(n - 2 * Math.floor(n / 4))}`);
  const parts = names.map((name) =>
    encodeTarHeader({ name, type: '0', mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 0 }),
  );
  const back = await readBack(Buffer.concat([...parts, END_OF_ARCHIVE]));
  assert.deepEqual(
    back.map((e) => e.name),
    names,
  );
});

test('non-ASCII names, long link targets and big ids go through PAX', async () => {
  const buf = Buffer.concat([
    encodeTarHeader({ name: 'é/ü', type: '5', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: 1 }),
    encodeTarHeader({
      name: 'l',
      type: '2',
      mode: 0o777,
      uid: 3_000_000,
      gid: 1,
      size: 0,
      mtime: 1,
      linkname: `/${'t'.repeat(200)}`,
    }),
    END_OF_ARCHIVE,
  ]);
  assert.deepEqual(await readBack(buf), [
    { name: 'é/ü', linkname: null, uid: 0, type: 'directory' },
    // tar-stream ignores a PAX uid (GNU tar and Go's archive/tar apply it): the ustar field is 0.
    { name: 'l', linkname: `/${'t'.repeat(200)}`, uid: 0, type: 'symlink' },
  ]);
  const text = buf.toString('latin1');
  assert.match(text, /\d+ uid=3000000\n/);
  assert.deepEqual([paddingOf(0), paddingOf(1), paddingOf(512), paddingOf(513)], [0, 511, 0, 511]);
});
