import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BerthError } from '../errors/index.js';
import { processWord, processWords, rawWords } from './shell-lex.js';

const vars = new Map([
  ['A', 'alpha'],
  ['EMPTY', ''],
  ['P', 'dir/sub/file.tar.gz'],
]);

test('raw words keep quotes and escapes; whitespace inside quotes does not split', () => {
  assert.deepEqual(rawWords(`a "b c" 'd e' f\\ g  h=" i "`), [
    'a',
    '"b c"',
    "'d e'",
    'f\\ g',
    'h=" i "',
  ]);
  assert.deepEqual(rawWords('a `  b', '`'), ['a', '` ', 'b']);
});

test('quotes, escapes and plain variables', () => {
  assert.equal(processWord('"$A b"', vars), 'alpha b');
  assert.equal(processWord("'$A b'", vars), '$A b');
  assert.equal(processWord('\\$A', vars), '$A');
  assert.equal(processWord('x${A}y', vars), 'xalphay');
  assert.equal(processWord('$A$UNSET.$', vars), 'alpha.$');
  assert.equal(processWord('"a\\"b\\c"', vars), 'a"b\\c');
  assert.equal(processWord('a`$A', vars, '`'), 'a$A');
  assert.equal(processWord('C:\\path', vars, '`'), 'C:\\path');
});

test('modifiers: :- - :+ + :? and nested words', () => {
  assert.equal(processWord('${UNSET:-dflt}', vars), 'dflt');
  assert.equal(processWord('${EMPTY:-dflt}', vars), 'dflt');
  assert.equal(processWord('${EMPTY-dflt}', vars), '');
  assert.equal(processWord('${UNSET-dflt}', vars), 'dflt');
  assert.equal(processWord('${A:+set}', vars), 'set');
  assert.equal(processWord('${EMPTY:+set}', vars), '');
  assert.equal(processWord('${EMPTY+set}', vars), 'set');
  assert.equal(processWord('${UNSET:-$A-x}', vars), 'alpha-x');
  assert.equal(processWord('${UNSET:-"a b"}', vars), 'a b');
  assert.throws(() => processWord('${UNSET:?must be set}', vars), /UNSET: must be set/);
});

test('pattern trims # ## % %%', () => {
  assert.equal(processWord('${P#*/}', vars), 'sub/file.tar.gz');
  assert.equal(processWord('${P##*/}', vars), 'file.tar.gz');
  assert.equal(processWord('${P%.*}', vars), 'dir/sub/file.tar');
  assert.equal(processWord('${P%%.*}', vars), 'dir/sub/file');
});

test('errors are InvalidParameter: unterminated quotes, bad substitution', () => {
  for (const bad of ['"abc', "'abc", '${', '${A', '${1}', '${A:x}']) {
    assert.throws(
      () => processWord(bad, vars),
      (e: unknown) => e instanceof BerthError && e.kind === 'InvalidParameter',
      bad,
    );
  }
});

test('processWords splits first, so expanded values are not split again', () => {
  const v = new Map([['X', 'a b']]);
  assert.deepEqual(processWords('$X "c d" e', v), ['a b', 'c d', 'e']);
});
