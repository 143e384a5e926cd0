import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { readLogBatches } from '../../drivers/logging/k8s-file.js';
import { parseLines } from '../../drivers/logging/log-batch.js';
import { StdcopyDemuxer } from '../../lib/stdcopy.js';
import { rfc3339Nano } from '../../lib/time.js';
import { parseRfc3339Nano } from '../../drivers/logging/k8s-file-format.js';
import { encodeLogBatch } from './log-frames.js';

const utc = '2026-11-29T20:00:01.000000001+00:00';
const line = (stream: string, tag: string, text: string, time = utc): string =>
  `${time} ${stream} ${tag} ${text}\n`;

/** Parses `text` with `pad` bytes before it (0: no room for in-place output before line 1). */
function batchOf(text: string, pad: number) {
  const buf = Buffer.concat([Buffer.alloc(pad, 0x21), Buffer.from(text)]);
  return parseLines(buf, buf.length, 3, pad).batch;
}

/** Frames of a stdcopy stream as [stream, payload] (checks it is well formed). */
function frames(b: Buffer): [number, string][] {
  const out: [number, string][] = [];
  let off = 0;
  while (off < b.length) {
    assert.ok(off + 8 <= b.length, 'a whole header');
    assert.deepEqual([...b.subarray(off + 1, off + 4)], [0, 0, 0]);
    const size = b.readUInt32BE(off + 4);
    out.push([b[off] as number, b.toString('latin1', off + 8, off + 8 + size)]);
    off += 8 + size;
  }
  assert.equal(off, b.length);
  return out;
}

const mixed =
  line('stdout', 'F', 'a') +
  line('stdout', 'P', 'b') +
  line('stdout', 'F', 'c') +
  line('stderr', 'F', 'err') +
  line('stdout', 'F', '') +
  line('stdout', 'F', 'd');

test('one stdcopy frame per run of same-stream lines, in place or not', () => {
  for (const pad of [0, 64]) {
    const batch = batchOf(mixed, pad);
    const out = encodeLogBatch(batch, false, false);
    // With room before the first line the output is compacted into the read buffer itself.
    const same = out.buffer === batch.buf.buffer && out.byteOffset === batch.buf.byteOffset;
    assert.equal(same, pad > 0);
    assert.deepEqual(frames(Buffer.from(out)), [
      [1, 'a\nbc\n'],
      [2, 'err\n'],
      [1, '\nd\n'],
    ]);
    const demuxed = new StdcopyDemuxer().push(out);
    assert.equal(Buffer.concat(demuxed.map((c) => c.data)).toString(), 'a\nbc\nerr\n\nd\n');
  }
});

test('TTY output is the raw bytes; timestamps use Docker format for any zone', () => {
  assert.equal(encodeLogBatch(batchOf(mixed, 64), true, false).toString(), 'a\nbc\nerr\n\nd\n');
  const other = '2026-11-29T21:00:01.5+01:00'; // not conmon's form: the slow path
  const text = line('stdout', 'F', 'x') + line('stdout', 'F', 'y', other);
  const stamp = (t: string): string => `${rfc3339Nano(parseRfc3339Nano(t) ?? 0n)} `;
  assert.equal(stamp(utc), '2026-11-29T20:00:01.000000001Z ');
  for (const pad of [0, 64]) {
    assert.deepEqual(frames(encodeLogBatch(batchOf(text, pad), false, true)), [
      [1, `${stamp(utc)}x\n${stamp(other)}y\n`],
    ]);
    assert.equal(
      encodeLogBatch(batchOf(text, pad), true, true).toString(),
      `${stamp(utc)}x\n${stamp(other)}y\n`,
    );
  }
});

/** Consecutive pieces of one stream joined: [stream, bytes] runs. */
function runs(pieces: [number, string][]): [number, string][] {
  const out: [number, string][] = [];
  for (const [st, d] of pieces) {
    const last = out[out.length - 1];
    if (last !== undefined && last[0] === st) last[1] += d;
    else out.push([st, d]);
  }
  return out;
}

test('a multi-MiB log with long lines comes out byte for byte through readLogBatches', async () => {
  const dir = await mkdtemp('/tmp/berth-lf-');
  try {
    const parts: string[] = [];
    const want: [number, string][] = [];
    for (let i = 0; i < 40000; i++) {
      const s = i % 7 === 0 ? 'stderr' : 'stdout';
      const text = `${i} ${'x'.repeat(i % 150)}`;
      parts.push(line(s, 'F', text));
      want.push([s === 'stdout' ? 1 : 2, `${text}\n`]);
    }
    const long = 'L'.repeat(3 * 1024 * 1024); // longer than one read
    parts.push(line('stdout', 'F', long));
    want.push([1, `${long}\n`]);
    const p = join(dir, 'c.log');
    await writeFile(p, parts.join(''));
    const got: [number, string][] = [];
    const demux = new StdcopyDemuxer();
    for await (const b of readLogBatches(p, {
      follow: false,
      stdout: true,
      stderr: true,
      signal: new AbortController().signal,
    })) {
      for (const c of demux.push(encodeLogBatch(b, false, false)))
        got.push([c.stream, c.data.toString('latin1')]);
    }
    demux.end();
    assert.deepEqual(runs(got), runs(want));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
