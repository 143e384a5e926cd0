import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyStartError, cleanRuntimeMessage, isValidRuntimeId } from './runtime.js';

const createFailure =
  'time="2026-11-29T20:00:00Z" level=error msg="runc create failed: unable to start container ' +
  'process: exec: \\"nosuchcmd\\": executable file not found in $PATH"\n';

test('cleanRuntimeMessage strips the logrus wrapper and unquotes', () => {
  assert.equal(
    cleanRuntimeMessage(createFailure),
    'runc create failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH',
  );
});

test('cleanRuntimeMessage prefers errors, dedupes, keeps plain text', () => {
  const text =
    'time="t" level=warning msg="some warning"\n' +
    'time="t" level=error msg="container does not exist"\n' +
    'time="t" level=error msg="container does not exist"\n';
  assert.equal(cleanRuntimeMessage(text), 'container does not exist');
  assert.equal(cleanRuntimeMessage('time="t" level=warning msg="only \\u00e9"'), 'only é');
  assert.equal(cleanRuntimeMessage('  plain failure \n'), 'plain failure');
  assert.equal(cleanRuntimeMessage(''), '');
  assert.equal(cleanRuntimeMessage('time="t" level=error msg="a\\tb\\\\c\\nd"'), 'a\tb\\c\nd');
});

test('classifyStartError maps like Docker', () => {
  assert.equal(classifyStartError(cleanRuntimeMessage(createFailure)), 127);
  assert.equal(
    classifyStartError('exec: "/nonexistent": stat /nonexistent: no such file or directory'),
    127,
  );
  assert.equal(classifyStartError('exec: "/etc/passwd": permission denied'), 126);
  assert.equal(classifyStartError('exec /x: exec format error'), 126);
  assert.equal(classifyStartError('unable to apply caps: operation not permitted'), 125);
});

test('isValidRuntimeId rejects flags, paths and empties', () => {
  assert.ok(isValidRuntimeId('a'.repeat(64)));
  assert.ok(isValidRuntimeId('rt-1.x_y'));
  for (const bad of ['', '-rf', '../x', 'a/b', 'a b', 'x\n', '.hidden', 'a'.repeat(129)]) {
    assert.equal(isValidRuntimeId(bad), false, bad);
  }
});
