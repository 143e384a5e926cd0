import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frameStdcopy, StdcopyDemuxer, StdcopyFormatError, type StdcopyChunk } from './stdcopy.js';

test('frameStdcopy writes the 8-byte header', () => {
  const f = frameStdcopy(2, Buffer.from('err\n'));
  assert.deepEqual([...f.subarray(0, 8)], [2, 0, 0, 0, 0, 0, 0, 4]);
  assert.equal(f.subarray(8).toString(), 'err\n');
  assert.deepEqual([...frameStdcopy(1, Buffer.alloc(0))], [1, 0, 0, 0, 0, 0, 0, 0]);
});

function joinByStream(chunks: StdcopyChunk[]): Record<number, string> {
  const out: Record<number, string> = {};
  for (const c of chunks) out[c.stream] = (out[c.stream] ?? '') + c.data.toString();
  return out;
}

test('StdcopyDemuxer decodes frames split at every byte boundary', () => {
  const big = Buffer.alloc(70000, 'x');
  const wire = Buffer.concat([
    frameStdcopy(1, Buffer.from('hello ')),
    frameStdcopy(2, Buffer.from('oops\n')),
    frameStdcopy(1, Buffer.alloc(0)),
    frameStdcopy(1, big),
  ]);
  for (const step of [1, 3, 7, 8, 9, 1000, wire.length]) {
    const d = new StdcopyDemuxer();
    const got: StdcopyChunk[] = [];
    for (let i = 0; i < wire.length; i += step) got.push(...d.push(wire.subarray(i, i + step)));
    d.end();
    const byStream = joinByStream(got);
    assert.equal(byStream[1], 'hello ' + big.toString(), `step ${step}`);
    assert.equal(byStream[2], 'oops\n');
  }
});

test('StdcopyDemuxer rejects garbage and truncated input', () => {
  assert.throws(
    () => new StdcopyDemuxer().push(Buffer.from('HTTP/1.1 200 OK')),
    StdcopyFormatError,
  );
  const d = new StdcopyDemuxer();
  d.push(frameStdcopy(1, Buffer.from('abc')).subarray(0, 9));
  assert.throws(() => d.end(), /inside a frame/);
});
