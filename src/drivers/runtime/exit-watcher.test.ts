import assert from 'node:assert/strict';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitWatcher, parseExitCode } from './exit-watcher.js';

/** What conmon does: write a temp file, then rename it over `<id>`. */
async function conmonWrites(dir: string, id: string, code: string): Promise<void> {
  const tmp = join(dir, `${id}.Ab12Cd`);
  await writeFile(tmp, code);
  await rename(tmp, join(dir, id));
}

test('ExitWatcher reports each exit file once, ignores temp names, re-arms after clear', async () => {
  const dir = await mkdtemp('/tmp/berth-test-');
  const w = new ExitWatcher(dir);
  const seen: [string, number][] = [];
  w.on('exit', (id: string, code: number) => seen.push([id, code]));
  try {
    await conmonWrites(dir, 'c1', '7');
    await writeFile(join(dir, 'c2'), '137'); // written in place: reported once despite 2 events
    await sleep(100);
    assert.deepEqual(seen.sort(), [
      ['c1', 7],
      ['c2', 137],
    ]);
    assert.equal(await w.readExit('c1'), 7);
    assert.equal(await w.readExit('nope'), null);
    assert.equal(await w.readExit('../etc/passwd'), null);
    assert.deepEqual((await w.pending()).sort(), ['c1', 'c2']);
    await w.clear('c1');
    assert.equal(await w.readExit('c1'), null);
    await conmonWrites(dir, 'c1', '0'); // a restarted container exits again
    await sleep(100);
    assert.deepEqual(seen.at(-1), ['c1', 0]);
    assert.equal(seen.length, 3);
    w.close();
    await conmonWrites(dir, 'c3', '1');
    await sleep(50);
    assert.equal(seen.length, 3);
  } finally {
    w.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('parseExitCode accepts decimal codes only', () => {
  assert.equal(parseExitCode('7'), 7);
  assert.equal(parseExitCode('137\n'), 137);
  assert.equal(parseExitCode('-1'), -1);
  assert.equal(parseExitCode(''), null);
  assert.equal(parseExitCode('x1'), null);
});
