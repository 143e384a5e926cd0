import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import {
  deviceSpecOf,
  devicesFromMapping,
  isValidDeviceMode,
  normalizeDeviceMapping,
  parseDeviceCgroupRule,
  splitDev,
} from './devices.js';

test('normalizeDeviceMapping fills Docker defaults and refuses bad forms', () => {
  assert.deepEqual(normalizeDeviceMapping({ pathOnHost: '/dev/null' }), {
    pathOnHost: '/dev/null',
    pathInContainer: '/dev/null',
    cgroupPermissions: 'rwm',
  });
  assert.deepEqual(
    normalizeDeviceMapping({
      pathOnHost: '/dev/null',
      pathInContainer: '/dev/x',
      cgroupPermissions: 'r',
    }),
    { pathOnHost: '/dev/null', pathInContainer: '/dev/x', cgroupPermissions: 'r' },
  );
  assert.throws(() => normalizeDeviceMapping({ pathOnHost: '' }), /cannot be empty/);
  assert.throws(() => normalizeDeviceMapping({ pathOnHost: 'dev/null' }), /absolute/);
  assert.throws(
    () => normalizeDeviceMapping({ pathOnHost: '/dev/null', pathInContainer: '/dev/../etc/x' }),
    /without ".."/,
  );
  assert.throws(
    () => normalizeDeviceMapping({ pathOnHost: '/dev/null', cgroupPermissions: 'rx' }),
    /invalid device mode: rx/,
  );
  assert.ok(isValidDeviceMode('mwr'));
  assert.ok(!isValidDeviceMode('rr'));
  assert.ok(!isValidDeviceMode(''));
});

test('splitDev decodes glibc dev_t numbers', () => {
  assert.deepEqual(splitDev(0x0103n), { major: 1, minor: 3 });
  assert.deepEqual(splitDev(0xfe00n), { major: 254, minor: 0 });
  // major 259, minor 65536: the high bits of both.
  const rdev = (259n << 8n) | (0x100n << 12n) | 0x00n;
  assert.deepEqual(splitDev(rdev), { major: 259, minor: 256 });
});

test('a device node maps to itself with the host node numbers and mode', () => {
  const s = devicesFromMapping(
    normalizeDeviceMapping({
      pathOnHost: '/dev/null',
      pathInContainer: '/dev/mynull',
      cgroupPermissions: 'rw',
    }),
  );
  assert.equal(s.devices.length, 1);
  assert.deepEqual(
    { ...s.devices[0], fileMode: undefined },
    { path: '/dev/mynull', type: 'c', major: 1, minor: 3, fileMode: undefined, uid: 0, gid: 0 },
  );
  assert.equal(s.devices[0]?.fileMode, 0o666);
  assert.deepEqual(s.rules, [{ allow: true, type: 'c', major: 1, minor: 3, access: 'rw' }]);
  const loop = devicesFromMapping(normalizeDeviceMapping({ pathOnHost: '/dev/loop0' }));
  assert.equal(loop.devices[0]?.type, 'b');
  assert.equal(loop.devices[0]?.major, 7);
});

test('a symlink is resolved and a directory maps every device below it', () => {
  const dir = mkdtempSync('/tmp/isodev-');
  try {
    symlinkSync('/dev/null', `${dir}/link`);
    const s = devicesFromMapping(
      normalizeDeviceMapping({ pathOnHost: `${dir}/link`, pathInContainer: '/dev/l' }),
    );
    assert.equal(s.devices[0]?.major, 1);
    assert.equal(s.devices[0]?.path, '/dev/l');
    const net = devicesFromMapping(
      normalizeDeviceMapping({ pathOnHost: '/dev/net', pathInContainer: '/dev/n' }),
    );
    assert.ok(net.devices.length >= 1);
    assert.ok(net.devices.every((d) => d.path.startsWith('/dev/n/')));
    assert.ok(
      net.devices.some((d) => d.path === '/dev/n/tun' && d.major === 10 && d.minor === 200),
    );
    // A directory without devices (symlinks are not followed) is "not a device node".
    assert.throws(() => devicesFromMapping(normalizeDeviceMapping({ pathOnHost: dir })), {
      message:
        /^error gathering device information while adding custom device ".*": not a device node$/,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('missing devices and plain files fail with Docker message', () => {
  assert.throws(
    () => devicesFromMapping(normalizeDeviceMapping({ pathOnHost: '/dev/berth-nope' })),
    {
      kind: 'InvalidParameter',
      message:
        'error gathering device information while adding custom device "/dev/berth-nope": no such file or directory',
    },
  );
  assert.throws(() => devicesFromMapping(normalizeDeviceMapping({ pathOnHost: '/etc/hostname' })), {
    message: /"\/etc\/hostname": not a device node$/,
  });
});

test('device cgroup rules: Docker format, wildcards, and refusals', () => {
  assert.deepEqual(parseDeviceCgroupRule('c 1:3 rwm'), {
    allow: true,
    type: 'c',
    major: 1,
    minor: 3,
    access: 'rwm',
  });
  assert.deepEqual(parseDeviceCgroupRule('b 8:* r'), {
    allow: true,
    type: 'b',
    major: 8,
    access: 'r',
  });
  assert.deepEqual(parseDeviceCgroupRule('a *:* m'), { allow: true, type: 'a', access: 'm' });
  for (const bad of [
    'c 1:3',
    'x 1:3 rwm',
    'c 1 3 rwm',
    'c 1:3 rwx',
    'c -1:3 r',
    'c 1:3 rr',
    ' c 1:3 r',
  ]) {
    assert.throws(() => parseDeviceCgroupRule(bad), {
      kind: 'InvalidParameter',
      message: `invalid device cgroup format '${bad}'`,
    });
  }
  const all = deviceSpecOf([normalizeDeviceMapping({ pathOnHost: '/dev/null' })], ['c 42:* rm']);
  assert.equal(all.devices.length, 1);
  assert.deepEqual(all.rules.at(-1), { allow: true, type: 'c', major: 42, access: 'rm' });
});
