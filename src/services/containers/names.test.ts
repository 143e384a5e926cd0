import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isKind } from '../../errors/index.js';
import { checkName, generateName } from './names.js';

const message = (name: string): string =>
  `Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`;

/** Asserts that checkName refuses `name` with Docker's 400 and exact message. */
function refused(name: string): void {
  assert.throws(
    () => checkName(name),
    (e: unknown) => isKind(e, 'InvalidParameter') && (e as Error).message === message(name),
    JSON.stringify(name),
  );
}

test('checkName accepts Docker-valid names and returns them unchanged', () => {
  for (const name of ['ab', 'web', 'web_1', 'a.b-c_d', 'A9', '0abc', 'x'.repeat(200), '9-']) {
    assert.equal(checkName(name), name);
  }
});

test("checkName strips Docker's single optional leading slash", () => {
  assert.equal(checkName('/web'), 'web');
  assert.equal(checkName('/a1'), 'a1');
});

test('checkName refuses names that are too short or start with a non-alphanumeric', () => {
  for (const name of ['', 'a', '/', '/a', '_ab', '.ab', '-ab', '//ab', '/_ab']) refused(name);
});

test('checkName refuses characters outside [a-zA-Z0-9_.-]', () => {
  for (const name of ['a b', 'a/b', 'ab/', 'a:b', 'a@b', 'ré', 'a\u0000b', 'a*', 'a+b']) {
    refused(name);
  }
});

test('checkName refuses hostile input: newlines, path traversal, shell text', () => {
  for (const name of ['ab\n', '\nab', 'ab\r\n', '../etc', 'a/../../b', '$(id)', 'a;rm -rf /']) {
    refused(name);
  }
});

test('generateName gives mood_thing, and a trailing digit after a clash', () => {
  for (let i = 0; i < 200; i++) {
    const first = generateName();
    assert.match(first, /^[a-z]+_[a-z]+$/);
    assert.equal(checkName(first), first);
    const retry = generateName(3);
    assert.match(retry, /^[a-z]+_[a-z]+[0-9]$/);
    assert.equal(checkName(retry), retry);
  }
});

test('generateName varies', () => {
  const seen = new Set(Array.from({ length: 50 }, () => generateName()));
  assert.ok(seen.size > 10, `only ${seen.size} distinct names in 50`);
});
