import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSpec } from '../spec-options.js';
import { DEFAULT_DEVICE_RULES, withDefaultSecurity } from './security.js';
import { withDevices } from './devices.js';

test('withDevices appends nodes and rules after Docker defaults', () => {
  const spec = buildSpec(
    withDefaultSecurity(),
    withDevices(
      [{ path: '/dev/xnull', type: 'c', major: 1, minor: 3, fileMode: 0o666, uid: 0, gid: 0 }],
      [
        { allow: true, type: 'c', major: 1, minor: 3, access: 'rw' },
        { allow: true, type: 'b', major: 7, access: 'r' },
      ],
    ),
  );
  assert.deepEqual(spec.linux?.devices, [
    { path: '/dev/xnull', type: 'c', major: 1, minor: 3, fileMode: 0o666, uid: 0, gid: 0 },
  ]);
  const rules = spec.linux?.resources?.devices ?? [];
  assert.deepEqual(rules.slice(0, DEFAULT_DEVICE_RULES.length), [...DEFAULT_DEVICE_RULES]);
  assert.deepEqual(rules.slice(DEFAULT_DEVICE_RULES.length), [
    { allow: true, type: 'c', major: 1, minor: 3, access: 'rw' },
    { allow: true, type: 'b', major: 7, access: 'r' },
  ]);
  const untouched = buildSpec(withDevices([], []));
  assert.equal(untouched.linux, undefined);
});

test('withDevices refuses hostile entries', () => {
  assert.throws(() => withDevices([{ path: 'dev/x', type: 'c', major: 1, minor: 1 }], []), {
    kind: 'InvalidParameter',
  });
  assert.throws(() => withDevices([{ path: '/dev/x', type: 'z', major: 1, minor: 1 }], []), {
    kind: 'InvalidParameter',
  });
  assert.throws(() => withDevices([{ path: '/dev/x', type: 'c', major: -1, minor: 1 }], []), {
    kind: 'InvalidParameter',
  });
  assert.throws(() => withDevices([], [{ allow: true, type: 'q', access: 'r' }]), {
    kind: 'InvalidParameter',
  });
  assert.throws(() => withDevices([], [{ allow: true, type: 'c', access: 'rx' }]), {
    kind: 'InvalidParameter',
  });
});
