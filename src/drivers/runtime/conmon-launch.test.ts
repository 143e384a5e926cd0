import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conmonArgs } from './conmon-launch.js';

const base = {
  id: 'c1',
  name: 'web',
  bundleDir: '/b',
  logPath: '/b/ctr.log',
  exitDir: '/x',
  persistDir: '/b/p',
  tty: false,
  stdin: false,
  leaveStdinOpen: false,
};

test('conmonArgs builds the verified create argv', () => {
  const args = conmonArgs('/usr/sbin/runc', ['--root', '/r'], base);
  assert.deepEqual(args, [
    '--api-version',
    '1',
    '-c',
    'c1',
    '-u',
    'c1',
    '-n',
    'web',
    '-r',
    '/usr/sbin/runc',
    '-b',
    '/b',
    '-p',
    '/b/pidfile',
    '-P',
    '/b/conmon.pid',
    '-l',
    'k8s-file:/b/ctr.log',
    '--no-sync-log',
    '--exit-dir',
    '/x',
    '-0',
    '/b/p',
    '--full-attach',
    '--runtime-arg',
    '--root',
    '--runtime-arg',
    '/r',
  ]);
});

test('conmonArgs adds stdin, tty and log size flags', () => {
  const o = { ...base, stdin: true, leaveStdinOpen: true, tty: true, logSizeMax: 300 };
  const args = conmonArgs('/r', [], o);
  assert.deepEqual(args.slice(-6), [
    '--full-attach',
    '-i',
    '--leave-stdin-open',
    '-t',
    '--log-size-max',
    '300',
  ]);
  assert.throws(() => conmonArgs('/r', [], { ...base, logSizeMax: -1 }), /invalid log size/);
});

test('conmonArgs keeps no log for the none driver', () => {
  const args = conmonArgs('/r', [], { ...base, noLog: true });
  assert.equal(args[args.indexOf('-l') + 1], 'none');
  assert.equal(args.join(' ').includes('k8s-file'), false);
});
