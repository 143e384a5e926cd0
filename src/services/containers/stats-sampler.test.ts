import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleFrames, type StatsSample } from './stats-sampler.js';

/** A sample source over growing counters that counts its reads; `failAfter` simulates an exit. */
function source(failAfter = Infinity): { read: () => Promise<StatsSample>; reads: () => number } {
  let n = 0;
  return {
    reads: () => n,
    read: async () => {
      if (n >= failAfter) throw new Error('ENOENT');
      n++;
      return {
        readNs: BigInt(n),
        host: { systemNs: n * 1000, onlineCpus: 2 },
        cgroup: {
          cpu: {
            totalNs: n * 10,
            userNs: 0,
            kernelNs: 0,
            throttling: { periods: 0, throttledPeriods: 0, throttledTimeNs: 0 },
          },
          memory: { usage: 0, stats: {} },
          pids: {},
          blkio: { ioServiceBytes: [] },
        },
      };
    },
  };
}

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const never = new AbortController().signal;

test('one-shot: a single sample with no previous one', async () => {
  const s = source();
  const frames = await all(sampleFrames(s.read, { stream: false, oneShot: true, signal: never }));
  assert.equal(frames.length, 1);
  assert.equal(frames[0]?.previous, undefined);
  assert.equal(s.reads(), 1);
});

test('no stream: two samples one interval apart, one frame with precpu', async () => {
  const s = source();
  const t0 = Date.now();
  const frames = await all(
    sampleFrames(s.read, { stream: false, oneShot: false, signal: never, intervalMs: 50 }),
  );
  assert.ok(Date.now() - t0 >= 45);
  assert.equal(frames.length, 1);
  assert.equal(frames[0]?.current?.cgroup.cpu.totalNs, 20);
  assert.equal(frames[0]?.previous?.cgroup.cpu.totalNs, 10);
});

test('stream: first frame at once without previous, then each with the one before', async () => {
  const s = source();
  const abort = new AbortController();
  const frames = [];
  for await (const f of sampleFrames(s.read, {
    stream: true,
    oneShot: false,
    signal: abort.signal,
    intervalMs: 10,
  })) {
    frames.push(f);
    if (frames.length === 3) abort.abort();
  }
  assert.equal(frames.length, 3);
  assert.equal(frames[0]?.previous, undefined);
  assert.equal(frames[2]?.previous?.readNs, frames[1]?.current?.readNs);
});

test('stream: an abort during the wait ends at once and leaves no timer reading on', async () => {
  const s = source();
  const abort = new AbortController();
  const it = sampleFrames(s.read, {
    stream: true,
    oneShot: false,
    signal: abort.signal,
    intervalMs: 60_000,
  });
  assert.ok((await it.next()).value);
  const pending = it.next();
  const t0 = Date.now();
  setTimeout(() => abort.abort(), 20);
  assert.equal((await pending).done, true);
  assert.ok(Date.now() - t0 < 1000, 'the 60 s wait was cut short');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(s.reads(), 1);
  // node:test would also report the 60 s timer as keeping the process alive if it were left.
});

test('a container that stops: stream ends, non-stream gets the zeroed frame', async () => {
  const streamed = await all(
    sampleFrames(source(2).read, { stream: true, oneShot: false, signal: never, intervalMs: 5 }),
  );
  assert.equal(streamed.length, 2);
  const once = await all(
    sampleFrames(source(0).read, { stream: false, oneShot: false, signal: never }),
  );
  assert.deepEqual(once, [{}]);
});
