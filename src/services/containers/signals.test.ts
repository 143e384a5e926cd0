import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isKind } from '../../errors/index.js';
import { parseSignal } from './signals.js';

/** Asserts Docker's 400 `Invalid signal: <input as given>`. */
function invalid(s: string): void {
  assert.throws(
    () => parseSignal(s),
    (e: unknown) =>
      isKind(e, 'InvalidParameter') && (e as Error).message === `Invalid signal: ${s}`,
    JSON.stringify(s),
  );
}

test('parseSignal takes numbers 1 to 64', () => {
  assert.equal(parseSignal('1'), 1);
  assert.equal(parseSignal('9'), 9);
  assert.equal(parseSignal('15'), 15);
  assert.equal(parseSignal('64'), 64);
  assert.equal(parseSignal('09'), 9);
});

test('parseSignal refuses 0, negatives and numbers past 64', () => {
  for (const s of ['0', '00', '-9', '65', '1000', '99999999999999999999']) invalid(s);
});

test('parseSignal takes names with or without SIG, in any case', () => {
  assert.equal(parseSignal('SIGKILL'), 9);
  assert.equal(parseSignal('KILL'), 9);
  assert.equal(parseSignal('kill'), 9);
  assert.equal(parseSignal('sigterm'), 15);
  assert.equal(parseSignal('SigHup'), 1);
  assert.equal(parseSignal('SIGUSR1'), 10);
  assert.equal(parseSignal('USR2'), 12);
  assert.equal(parseSignal('SIGWINCH'), 28);
  assert.equal(parseSignal('SIGSTOP'), 19);
  assert.equal(parseSignal('SIGCHLD'), 17);
});

test('parseSignal knows the Linux aliases', () => {
  assert.equal(parseSignal('SIGIOT'), parseSignal('SIGABRT'));
  assert.equal(parseSignal('SIGPOLL'), parseSignal('SIGIO'));
  assert.equal(parseSignal('SIGSYS'), 31);
});

test('parseSignal maps RTMIN+n and RTMAX-n onto 34..64', () => {
  assert.equal(parseSignal('SIGRTMIN'), 34);
  assert.equal(parseSignal('RTMIN+1'), 35);
  assert.equal(parseSignal('sigrtmin+15'), 49);
  assert.equal(parseSignal('SIGRTMAX'), 64);
  assert.equal(parseSignal('RTMAX-1'), 63);
  assert.equal(parseSignal('RTMAX-14'), 50);
});

test('parseSignal refuses real-time offsets outside 34..64 and malformed forms', () => {
  for (const s of ['RTMIN+31', 'RTMAX-31', 'RTMIN-1', 'RTMAX+1', 'RTMIN+', 'RTMIN+x', 'RTMIN1']) {
    invalid(s);
  }
});

test('parseSignal refuses unknown names and hostile text', () => {
  for (const s of ['', 'SIG', 'SIGSIGKILL', 'FOO', 'SIGKILL9', '9KILL', '1.5', '0x9', 'KILL\n1']) {
    invalid(s);
  }
  invalid('__proto__');
  invalid('constructor');
  invalid('toString');
});
