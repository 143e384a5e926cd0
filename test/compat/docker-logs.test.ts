import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { docker, startTestDaemon, type TestDaemon } from '../helpers/test-daemon.js';

// GET /logs sends one stdcopy frame per run of same-stream lines, read a MiB at a time: the
// docker CLI must still split stdout from stderr byte for byte, across many reads.
let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(async () => {
  await d.cleanup();
});

const lines = 30000;
// Every 7th line on stderr, ~2 MB in all, and a last line without a newline.
const script =
  `i=0; while [ $i -lt ${lines} ]; do if [ $((i % 7)) -eq 0 ]; ` +
  `then echo "e$i ${'x'.repeat(48)}" >&2; else echo "o$i ${'y'.repeat(62)}"; fi; i=$((i+1)); done; ` +
  'printf tail-no-nl';

function expected(): { out: string; err: string } {
  let out = '';
  let err = '';
  for (let i = 0; i < lines; i++) {
    if (i % 7 === 0) err += `e${i} ${'x'.repeat(48)}\n`;
    else out += `o${i} ${'y'.repeat(62)}\n`;
  }
  return { out: `${out}tail-no-nl`, err };
}

const stamp = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /g;

test('docker logs splits a multi-MiB interleaved log into stdout and stderr exactly', async () => {
  const args = ['run', '--name', 'chatty', '--network', 'none', 'busybox', 'sh', '-c', script];
  const run = await docker(d, args, { timeoutMs: 300_000 });
  assert.equal(run.code, 0, run.stderr);
  const { out, err } = expected();
  const logs = await docker(d, ['logs', 'chatty'], { timeoutMs: 120_000 });
  assert.equal(logs.code, 0);
  assert.ok(logs.stdout === out, 'stdout differs');
  assert.ok(logs.stderr === err, 'stderr differs');

  const ts = await docker(d, ['logs', '--timestamps', 'chatty'], { timeoutMs: 120_000 });
  assert.ok(
    ts.stdout.split('\n').every((l) => /^\d{4}-/.test(l)),
    'every stdout line stamped',
  );
  assert.ok(ts.stdout.replace(stamp, '') === out, 'stamped stdout differs');
  assert.ok(ts.stderr.replace(stamp, '') === err, 'stamped stderr differs');

  // One entry: the last of the file. conmon drains the two pipes independently, so the last
  // entry is the stdout tail or the last stderr line, whichever it wrote last (as with Docker).
  const tail = await docker(d, ['logs', '--tail', '1', 'chatty']);
  const lastErr = `e${Math.floor((lines - 1) / 7) * 7} ${'x'.repeat(48)}\n`;
  assert.ok(
    (tail.stdout === 'tail-no-nl' && tail.stderr === '') ||
      (tail.stdout === '' && tail.stderr === lastErr),
    `--tail 1 gave ${JSON.stringify(tail.stdout)} / ${JSON.stringify(tail.stderr)}`,
  );
  assert.equal((await docker(d, ['rm', 'chatty'])).code, 0);
});
