import { test } from 'node:test';
import assert from 'node:assert/strict';
import { freeRange, mappingsOf, parseSubIdFile, rangesOf } from './subid.js';

test('parseSubIdFile keeps several ranges per user and skips junk', () => {
  const f = parseSubIdFile(
    '# comment\nalice:100000:65536\nbob:165536:65536\nalice:300000:1000\nbad line\nx:1:0\n1001:400000:10\n',
  );
  assert.deepEqual(f.get('alice'), [
    { start: 100000, count: 65536 },
    { start: 300000, count: 1000 },
  ]);
  assert.equal(f.get('x'), undefined);
  assert.deepEqual(rangesOf(f, 'carol', 1001), [{ start: 400000, count: 10 }]);
});

test('freeRange starts at 100000 and steps past every taken range', () => {
  assert.equal(freeRange(new Map()), 100000);
  assert.equal(freeRange(parseSubIdFile('a:100000:65536\nb:165536:65536\n')), 231072);
  // A gap big enough between two ranges is used.
  assert.equal(freeRange(parseSubIdFile('a:100000:10\nb:300000:65536\n')), 100010);
  // A gap too small is skipped.
  assert.equal(freeRange(parseSubIdFile('a:100000:10\nb:150000:65536\n')), 215536);
  // Ranges below the floor do not matter.
  assert.equal(freeRange(parseSubIdFile('a:1000:5000\n')), 100000);
});

test('mappingsOf concatenates ranges into container ids from 0', () => {
  assert.deepEqual(
    mappingsOf([
      { start: 100000, count: 65536 },
      { start: 300000, count: 1000 },
    ]),
    [
      { containerID: 0, hostID: 100000, size: 65536 },
      { containerID: 65536, hostID: 300000, size: 1000 },
    ],
  );
});
