import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DetachScanner, parseDetachKeys } from './detach-keys.js';

test('parses Docker detach key specs', () => {
  assert.deepEqual([...parseDetachKeys('')], [0x10, 0x11]);
  assert.deepEqual([...parseDetachKeys('ctrl-p,ctrl-q')], [0x10, 0x11]);
  assert.deepEqual([...parseDetachKeys('a,b')], [0x61, 0x62]);
  assert.deepEqual([...parseDetachKeys('ctrl-a')], [0x01]);
  assert.deepEqual(
    [...parseDetachKeys('ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_')],
    [0, 27, 28, 29, 30, 31],
  );
  assert.deepEqual([...parseDetachKeys('DEL,x')], [0x7f, 0x78]);
  assert.throws(() => parseDetachKeys('a,,b'), /Unknown character/);
});

test('rejects unknown keys', () => {
  for (const bad of ['ctrl-', 'ctrl-1', 'ctrl-A', 'ctrl-ab', 'abc', 'alt-x', 'é', ',']) {
    assert.throws(() => parseDetachKeys(bad), /Unknown character/, bad);
  }
});

test('detects the sequence typed one byte at a time', () => {
  const s = new DetachScanner(parseDetachKeys(''));
  assert.deepEqual(s.push(Buffer.from('l')), { forward: Buffer.from('l'), detached: false });
  assert.deepEqual(s.push(Buffer.from([0x10])), { forward: Buffer.alloc(0), detached: false });
  assert.deepEqual(s.push(Buffer.from([0x11])), { forward: Buffer.alloc(0), detached: true });
  // Input after the detach is dropped.
  assert.deepEqual(s.push(Buffer.from('x')), { forward: Buffer.alloc(0), detached: true });
});

test('forwards the bytes before the sequence in the same chunk and drops what follows', () => {
  const s = new DetachScanner(parseDetachKeys('ctrl-p,ctrl-q'));
  const r = s.push(Buffer.from([0x61, 0x62, 0x10, 0x11, 0x63]));
  assert.deepEqual(r, { forward: Buffer.from('ab'), detached: true });
});

test('a partial sequence is forwarded once it stops matching', () => {
  const s = new DetachScanner(parseDetachKeys('ctrl-p,ctrl-q'));
  assert.equal(s.push(Buffer.from([0x10])).forward.length, 0);
  const r = s.push(Buffer.from('z'));
  assert.deepEqual(r, { forward: Buffer.from([0x10, 0x7a]), detached: false });
  // ctrl-p ctrl-p ctrl-q: the first ctrl-p is forwarded, the last two detach.
  const t = new DetachScanner(parseDetachKeys('ctrl-p,ctrl-q'));
  const r2 = t.push(Buffer.from([0x10, 0x10, 0x11]));
  assert.deepEqual(r2, { forward: Buffer.from([0x10]), detached: true });
});

test('overlapping sequences across chunks', () => {
  const s = new DetachScanner(parseDetachKeys('a,a,b'));
  assert.equal(s.push(Buffer.from('aa')).forward.length, 0);
  assert.deepEqual(s.push(Buffer.from('a')), { forward: Buffer.from('a'), detached: false });
  assert.deepEqual(s.push(Buffer.from('b')), { forward: Buffer.alloc(0), detached: true });
});

test('flush releases a held partial sequence', () => {
  const s = new DetachScanner(parseDetachKeys('x,y,z'));
  assert.deepEqual(s.push(Buffer.from('1xy')), { forward: Buffer.from('1'), detached: false });
  assert.deepEqual(s.flush(), Buffer.from('xy'));
  assert.deepEqual(s.flush(), Buffer.alloc(0));
});

test('an empty sequence is refused', () => {
  assert.throws(() => new DetachScanner(Buffer.alloc(0)));
});
