import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { AttachConnection } from '../../../client/index.js';
import type { CliIo } from '../../context.js';
import { UsageError } from '../../errors.js';
import { detachKeysFlag, followTerminalSize, pipeTtyStdin } from './tty-io.js';

function fakeIo(size: [number, number]): CliIo & { stdin: PassThrough; stdout: PassThrough } {
  return {
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    env: {},
    now: () => 0,
    terminalSize: () => size,
  };
}

function fakeConn(): AttachConnection & { sent: Buffer[]; closed: boolean; halfClosed: boolean } {
  const stdin = new PassThrough();
  const c = {
    sent: [] as Buffer[],
    closed: false,
    halfClosed: false,
    output: (async function* () {})(),
    stdin,
    closeWrite: () => void (c.halfClosed = true),
    close: () => void (c.closed = true),
  };
  stdin.on('data', (b: Buffer) => c.sent.push(b));
  return c;
}

test('detachKeysFlag parses docker format and rejects junk as a usage error', () => {
  assert.deepEqual([...detachKeysFlag(undefined)], [0x10, 0x11]);
  assert.deepEqual([...detachKeysFlag('ctrl-x,y')], [0x18, 0x79]);
  assert.throws(() => detachKeysFlag('ctrl-'), UsageError);
});

test('followTerminalSize sends the size now and on every resize, until undone', async () => {
  const size: [number, number] = [24, 80];
  const io = fakeIo(size);
  const calls: string[] = [];
  const undo = followTerminalSize(io, async (h, w) => void calls.push(`${h}x${w}`));
  size[0] = 50;
  io.stdout.emit('resize');
  undo();
  io.stdout.emit('resize');
  assert.deepEqual(calls, ['24x80', '50x80']);
});

test('pipeTtyStdin forwards input, holds the detach keys, and detaches on them', async () => {
  const io = fakeIo([24, 80]);
  const conn = fakeConn();
  const piped = pipeTtyStdin(io, conn, detachKeysFlag(''));
  io.stdin.write(Buffer.from('ls\r'));
  io.stdin.write(Buffer.from([0x10]));
  io.stdin.write(Buffer.from([0x11]));
  await piped.detached;
  await new Promise((r) => setImmediate(r));
  assert.equal(Buffer.concat(conn.sent).toString(), 'ls\r');
  assert.equal(conn.closed, true);
  piped.undo();
});

test('pipeTtyStdin: end of input releases a partial sequence and half-closes', async () => {
  const io = fakeIo([24, 80]);
  const conn = fakeConn();
  const piped = pipeTtyStdin(io, conn, detachKeysFlag(''));
  io.stdin.end(Buffer.from([0x61, 0x10]));
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual([...Buffer.concat(conn.sent)], [0x61, 0x10]);
  assert.equal(conn.halfClosed, true);
  assert.equal(conn.closed, false);
  piped.undo();
});
