import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { readLog, type LogEntry, type ReadLogOptions } from './k8s-file.js';

let dir = '';
before(async () => {
  dir = await mkdtemp('/tmp/berth-test-');
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ts = (sec: number): string =>
  `2026-11-29T20:00:${String(sec).padStart(2, '0')}.000000001+00:00`;
const line = (sec: number, stream: string, tag: string, text: string): string =>
  `${ts(sec)} ${stream} ${tag} ${text}\n`;

async function collect(path: string, o: Partial<ReadLogOptions>): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  const opts = {
    follow: false,
    stdout: true,
    stderr: true,
    signal: new AbortController().signal,
    ...o,
  };
  for await (const e of readLog(path, opts)) out.push(e);
  return out;
}
const text = (es: LogEntry[]): string => Buffer.concat(es.map((e) => e.data)).toString();

const sample =
  line(1, 'stdout', 'F', 'one') +
  line(2, 'stderr', 'F', 'err') +
  line(3, 'stdout', 'P', 'ab') +
  line(4, 'stdout', 'F', 'c') +
  line(5, 'stdout', 'P', 'tail-no-newline');

test('readLog reproduces each stream byte for byte', async () => {
  const p = join(dir, 'a.log');
  await writeFile(p, sample);
  const all = await collect(p, {});
  assert.equal(all.length, 5);
  assert.equal(text(all.filter((e) => e.stream === 'stdout')), 'one\nabc\ntail-no-newline');
  assert.equal(text(await collect(p, { stdout: false })), 'err\n');
  assert.deepEqual(
    all.map((e) => e.partial),
    [false, false, true, false, true],
  );
  assert.equal(all[0]?.time, ts(1));
});

test('readLog tail, since and until', async () => {
  const p = join(dir, 'b.log');
  await writeFile(p, sample);
  assert.equal(text(await collect(p, { tail: 2 })), 'c\ntail-no-newline');
  assert.equal(text(await collect(p, { tail: 1, stdout: false })), 'err\n');
  assert.equal((await collect(p, { tail: 0 })).length, 0);
  assert.equal(text(await collect(p, { tail: -1, stderr: false })), 'one\nabc\ntail-no-newline');
  const sinceNs = BigInt(Date.UTC(2026, 10, 29, 20, 0, 3)) * 1_000_000n + 1n;
  assert.equal(text(await collect(p, { since: sinceNs })), 'abc\ntail-no-newline');
  assert.equal(
    text(await collect(p, { since: new Date(Date.UTC(2026, 10, 29, 20, 0, 4, 1)) })),
    'tail-no-newline',
  );
  assert.equal(
    text(await collect(p, { until: new Date(Date.UTC(2026, 10, 29, 20, 0, 2, 1)) })),
    'one\nerr\n',
  );
  assert.equal((await collect(join(dir, 'missing.log'), {})).length, 0);
});

test('since and until compare UTC lines by bytes and other zones by value, to the nanosecond', async () => {
  const p = join(dir, 'z.log');
  await writeFile(
    p,
    line(1, 'stdout', 'F', 'a') + // 20:00:01.000000001Z
      '2026-11-29T21:00:02.5+01:00 stdout F b\n' + // 20:00:02.5Z, not conmon's form
      line(3, 'stdout', 'F', 'c'),
  );
  const ns = (sec: number, frac: bigint): bigint =>
    BigInt(Date.UTC(2026, 10, 29, 20, 0, sec)) * 1_000_000n + frac;
  assert.equal(text(await collect(p, { since: ns(1, 1n) })), 'a\nb\nc\n');
  assert.equal(text(await collect(p, { since: ns(1, 2n) })), 'b\nc\n');
  assert.equal(text(await collect(p, { since: ns(2, 500_000_001n) })), 'c\n');
  assert.equal(text(await collect(p, { until: ns(2, 500_000_000n) })), 'a\nb\n');
  assert.equal(text(await collect(p, { until: ns(1, 0n) })), '');
});

test('readLog follow streams appends, survives truncation and ends after stopped', async () => {
  const p = join(dir, 'c.log');
  await writeFile(p, line(1, 'stdout', 'F', 'first'));
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  const got: string[] = [];
  const reader = (async () => {
    for await (const e of readLog(p, {
      follow: true,
      stdout: true,
      stderr: true,
      signal: new AbortController().signal,
      stopped,
    })) {
      got.push(e.data.toString());
    }
  })();
  await sleep(50);
  await appendFile(p, line(2, 'stdout', 'F', 'second'));
  await sleep(50);
  assert.deepEqual(got, ['first\n', 'second\n']);
  await truncate(p, 0); // what conmon's --log-size-max does
  await sleep(30);
  await appendFile(p, line(3, 'stderr', 'F', 'after-truncate'));
  await sleep(50);
  // Written just before the exit is reported: the drain must still deliver it.
  await appendFile(p, line(4, 'stdout', 'P', 'last'));
  stop();
  await reader;
  assert.deepEqual(got, ['first\n', 'second\n', 'after-truncate\n', 'last']);
});

test('readLog follow ends on abort', async () => {
  const p = join(dir, 'd.log');
  await writeFile(p, line(1, 'stdout', 'F', 'x'));
  const ac = new AbortController();
  const got: LogEntry[] = [];
  const reader = (async () => {
    for await (const e of readLog(p, {
      follow: true,
      stdout: true,
      stderr: true,
      signal: ac.signal,
      stopped: new Promise(() => {}),
    }))
      got.push(e);
  })();
  await sleep(30);
  ac.abort();
  await reader;
  assert.equal(got.length, 1);
});

test('readLog streams a large log with bounded memory', async () => {
  const p = join(dir, 'e.log');
  const chunk = Array.from({ length: 10000 }, (_, i) =>
    line(1, 'stdout', 'F', `line ${i} ${'z'.repeat(100)}`),
  ).join('');
  await writeFile(p, '');
  for (let i = 0; i < 10; i++) await appendFile(p, chunk); // ~14 MB, 100 000 lines
  const before = process.memoryUsage().rss;
  let n = 0;
  let bytes = 0;
  for await (const e of readLog(p, {
    follow: false,
    stdout: true,
    stderr: true,
    signal: new AbortController().signal,
  })) {
    n++;
    bytes += e.data.length;
  }
  assert.equal(n, 100000);
  assert.ok(bytes > 10_000_000);
  const grown = process.memoryUsage().rss - before;
  assert.ok(grown < 64 * 1024 * 1024, `rss grew by ${grown}`);
  const last = await collect(p, { tail: 3 });
  assert.deepEqual(
    last.map((e) => e.data.toString().split(' ')[1]),
    ['9997', '9998', '9999'],
  );
});
