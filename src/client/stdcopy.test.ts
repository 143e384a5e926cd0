import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frame } from './fake-daemon.js';
import { demuxStdcopy, outputChunks, StreamError, type OutputChunk } from './stdcopy.js';

/** Joins consecutive pieces of one stream (a frame split across reads arrives in pieces). */
function merged(chunks: OutputChunk[]): string[] {
  const out: string[] = [];
  let last: OutputChunk['stream'] | undefined;
  for (const c of chunks) {
    if (c.stream === last) out[out.length - 1] += c.data.toString();
    else out.push(`${c.stream}:${c.data.toString()}`);
    last = c.stream;
  }
  return out;
}

async function collect(it: AsyncIterable<OutputChunk>): Promise<OutputChunk[]> {
  const out: OutputChunk[] = [];
  for await (const c of it) out.push(c);
  return out;
}

async function* fromChunks(chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (const c of chunks) yield c;
}

test('demuxes whole frames in one chunk', async () => {
  const bytes = Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n'), frame(1, 'x')]);
  const got = await collect(demuxStdcopy(fromChunks([bytes])));
  assert.deepEqual(merged(got), ['stdout:out\n', 'stderr:err\n', 'stdout:x']);
});

test('demuxes frames split at every possible byte boundary', async () => {
  const bytes = Buffer.concat([frame(1, 'hello'), frame(2, 'world!'), frame(1, '')]);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const parts = [bytes.subarray(0, cut), bytes.subarray(cut)];
    const got = await collect(demuxStdcopy(fromChunks(parts)));
    assert.deepEqual(merged(got), ['stdout:hello', 'stderr:world!'], `cut at ${cut}`);
  }
});

test('demuxes a stream fed one byte at a time', async () => {
  const bytes = Buffer.concat([frame(2, 'ab'), frame(1, 'cde')]);
  const oneByOne = [...bytes].map((b) => Buffer.from([b]));
  const got = await collect(demuxStdcopy(fromChunks(oneByOne)));
  assert.deepEqual(merged(got), ['stderr:ab', 'stdout:cde']);
});

test('rejects a stream that ends inside a frame, and bytes that are not frames', async () => {
  const truncated = frame(1, 'truncated').subarray(0, 11);
  await assert.rejects(collect(demuxStdcopy(fromChunks([truncated]))), /inside a frame/);
  const garbage = Buffer.from('hello world, not framed');
  await assert.rejects(collect(demuxStdcopy(fromChunks([garbage]))), /not a stdcopy header/);
});

test('surfaces a systemerr frame (stream 3) as a StreamError after earlier output', async () => {
  const bytes = Buffer.concat([frame(1, 'before'), frame(3, 'boom'), frame(1, 'after')]);
  const seen: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const c of demuxStdcopy(fromChunks([bytes]))) seen.push(c.data.toString());
    })(),
    (e: unknown) => e instanceof StreamError && e.message === 'boom',
  );
  assert.deepEqual(seen, ['before']);
});

test('raw (TTY) output is all stdout', async () => {
  const got = await collect(outputChunks(fromChunks([Buffer.from('a'), Buffer.from('b')]), false));
  assert.deepEqual(merged(got), ['stdout:ab']);
});
