import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execBody } from './exec.js';

test('execBody: attach flags follow -i and -d; -e KEY takes the value from the environment', () => {
  assert.deepEqual(
    execBody(
      { env: ['A=1', 'HOME_X', 'UNSET'], interactive: true, tty: true, consoleSize: [24, 80] },
      ['sh'],
      { HOME_X: '/x' },
    ),
    {
      Cmd: ['sh'],
      Env: ['A=1', 'HOME_X=/x'],
      Tty: true,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Privileged: false,
      ConsoleSize: [24, 80],
    },
  );
  const detached = execBody(
    { env: [], detach: true, interactive: true, user: 'nobody', workdir: '/tmp', privileged: true },
    ['true'],
    {},
  );
  assert.equal(detached.AttachStdin, false);
  assert.equal(detached.AttachStdout, false);
  assert.equal(detached.User, 'nobody');
  assert.equal(detached.WorkingDir, '/tmp');
  assert.equal(detached.Privileged, true);
  assert.equal(detached.ConsoleSize, undefined, 'no size without a TTY');
});
