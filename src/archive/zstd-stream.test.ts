import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { digestOf } from '../lib/digest.js';
import { execFile } from '../lib/exec.js';
import { buildTar } from './tar-fixture.js';
import { unpackLayer } from './unpack-layer.js';

test('a zstd layer made by the zstd CLI unpacks, with the diff id of its tar', async () => {
  const dir = await mkdtemp('/tmp/berth-test-zstd-');
  try {
    const content = Buffer.from('zstd compressed content\n'.repeat(20_000));
    const tar = await buildTar([
      { header: { name: 'd/', type: 'directory', mode: 0o755 } },
      { header: { name: 'd/f.txt', mode: 0o644 }, content },
    ]);
    await writeFile(`${dir}.tar`, tar);
    const z = await execFile('zstd', ['-q', '-3', '-f', `${dir}.tar`, '-o', `${dir}.tar.zst`], {
      timeoutMs: 20_000,
    });
    assert.equal(z.code, 0, z.stderr);
    const compressed = await readFile(`${dir}.tar.zst`);
    assert.deepEqual([...compressed.subarray(0, 4)], [0x28, 0xb5, 0x2f, 0xfd]);
    // Fed in small pieces, as a download arrives.
    const pieces = Array.from({ length: Math.ceil(compressed.length / 1000) }, (_, i) =>
      compressed.subarray(i * 1000, (i + 1) * 1000),
    );
    const r = await unpackLayer(Readable.from(pieces), dir);
    assert.equal(r.diffId, digestOf(tar));
    assert.deepEqual(await readFile(`${dir}/d/f.txt`), content);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(`${dir}.tar`, { force: true });
    await rm(`${dir}.tar.zst`, { force: true });
  }
});
