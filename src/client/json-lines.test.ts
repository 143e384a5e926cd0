import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonLines } from './json-lines.js';

async function* chunks(...parts: string[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.from(p);
}

test('objects split across chunks, blank lines and a last line without newline', async () => {
  const out: unknown[] = [];
  for await (const v of jsonLines(chunks('{"a":', '1}\n\n{"b":2}\n{"c"', ':3}'))) out.push(v);
  assert.deepEqual(out, [{ a: 1 }, { b: 2 }, { c: 3 }]);
});

test('an endless line is refused', async () => {
  await assert.rejects(async () => {
    for await (const _ of jsonLines(chunks('x'.repeat(20), 'y'.repeat(20)), 16)) void _;
  }, /too long/);
});
