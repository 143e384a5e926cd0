import assert from 'node:assert/strict';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { findTailOffset, parseRfc3339Nano, toNs } from './k8s-file-format.js';
import { parseLines } from './log-batch.js';

/** One line through the batch parser, as readLog sees it. */
function parseLogLine(line: Buffer) {
  const buf = Buffer.concat([line, Buffer.from('\n')]);
  const { batch } = parseLines(buf, buf.length, 3);
  return batch.length > 0 ? batch.entry(0) : null;
}

test('parseRfc3339Nano keeps nanoseconds and applies the zone', () => {
  const t = parseRfc3339Nano('2026-11-29T20:03:09.559919847+00:00');
  assert.equal(t, BigInt(Date.UTC(2026, 10, 29, 20, 3, 9)) * 1_000_000n + 559919847n);
  assert.equal(parseRfc3339Nano('2026-11-29T21:03:09.559919847+01:00'), t);
  assert.equal(parseRfc3339Nano('2026-11-29T20:03:09.5Z'), t! - 59919847n);
  assert.equal(parseRfc3339Nano('2026-11-29 20:03:09Z'), null);
  assert.equal(toNs(new Date(1000)), 1_000_000_000n);
  assert.equal(toNs(5n), 5n);
});

test('parseLogLine: F adds the newline, P does not, payload bytes are kept', () => {
  const f = parseLogLine(Buffer.from('2026-11-29T20:03:09.559919847+00:00 stdout F out 0'));
  assert.equal(f?.stream, 'stdout');
  assert.equal(f?.data.toString(), 'out 0\n');
  assert.equal(f?.partial, false);
  assert.equal(f?.time, '2026-11-29T20:03:09.559919847+00:00');
  const p = parseLogLine(Buffer.from('2026-11-29T20:03:13.565332774+00:00 stderr P  two  spaces'));
  assert.equal(p?.data.toString(), ' two  spaces');
  assert.equal(p?.partial, true);
  const raw = Buffer.concat([
    Buffer.from('2026-11-29T20:03:09Z stdout F '),
    Buffer.from([0xff, 0]),
  ]);
  assert.deepEqual([...parseLogLine(raw)!.data], [0xff, 0, 0x0a]);
  assert.equal(parseLogLine(Buffer.from('2026-11-29T20:03:09Z stdout F'))?.data.toString(), '\n');
  assert.equal(parseLogLine(Buffer.from('2026-11-29T20:03:09Z stdin F x')), null);
  assert.equal(parseLogLine(Buffer.from('2026-11-29T20:03:09Z stdout X x')), null);
  assert.equal(parseLogLine(Buffer.from('garbage')), null);
});

test('findTailOffset counts complete lines of wanted streams from the end', async () => {
  const dir = await mkdtemp('/tmp/berth-test-');
  try {
    const path = join(dir, 'ctr.log');
    const lines: string[] = [];
    // Long lines make the scan cross several 64 KiB chunks.
    for (let i = 0; i < 300; i++) {
      const stream = i % 3 === 0 ? 'stderr' : 'stdout';
      lines.push(
        `2026-11-29T20:00:00.${String(i).padStart(9, '0')}Z ${stream} F ${'y'.repeat(900)}${i}`,
      );
    }
    const text = lines.join('\n') + '\n' + '2026-11-29T20:00:01Z stdout P unterminated';
    await writeFile(path, text);
    const fh = await open(path, 'r');
    try {
      const all = () => true;
      const offsetOf = (i: number): number =>
        Buffer.byteLength(lines.slice(0, i).join('\n')) + (i > 0 ? 1 : 0);
      assert.equal(await findTailOffset(fh, 1, all), offsetOf(299));
      assert.equal(await findTailOffset(fh, 150, all), offsetOf(150));
      assert.equal(await findTailOffset(fh, 300, all), 0);
      assert.equal(await findTailOffset(fh, 1000, all), 0);
      assert.equal(await findTailOffset(fh, 0, all), Buffer.byteLength(text));
      // stderr lines are 0, 3, …, 297: the last two start at 294.
      assert.equal(await findTailOffset(fh, 2, (s) => s === 'stderr'), offsetOf(294));
    } finally {
      await fh.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
