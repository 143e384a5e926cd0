import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import {
  checkCgroupParent,
  containerCgroupParent,
  containerCgroupPath,
  isCgroupV2,
  resolveCgroupnsMode,
} from './cgroup-options.js';

test('cgroup parent: absolute and relative accepted, climbing and odd names refused', () => {
  for (const ok of ['', '/mine', 'mine', 'a/b', '/a.slice/b_c-1/']) {
    assert.doesNotThrow(() => checkCgroupParent(ok), ok);
  }
  for (const bad of ['/', '..', '/a/../b', 'a/./b', 'a b', 'a\0b', '/a/\n']) {
    assert.throws(() => checkCgroupParent(bad), { kind: 'InvalidParameter' }, JSON.stringify(bad));
  }
  assert.equal(containerCgroupParent('', '/berth'), '/berth');
  assert.equal(containerCgroupParent('mine/sub/', '/berth'), '/mine/sub');
  assert.equal(containerCgroupParent('/abs', '/berth'), '/abs');
  assert.equal(containerCgroupPath('', '/berth', 'abc'), '/berth/abc');
  assert.equal(containerCgroupPath('x', '/berth', 'abc'), '/x/abc');
});

test('cgroupns: Docker defaults per cgroup version, and refusals', () => {
  assert.equal(resolveCgroupnsMode('', false), 'host');
  assert.equal(resolveCgroupnsMode('', true), 'private');
  assert.equal(resolveCgroupnsMode('private', false), 'private');
  assert.equal(resolveCgroupnsMode('host', true), 'host');
  assert.throws(() => resolveCgroupnsMode('container:x', false), {
    message: 'invalid cgroup namespace mode: container:x',
  });
  const v2 = mkdtempSync('/tmp/isocg2-');
  try {
    assert.equal(isCgroupV2(v2), false);
    writeFileSync(`${v2}/cgroup.controllers`, 'io memory\n');
    assert.equal(isCgroupV2(v2), true);
  } finally {
    rmSync(v2, { recursive: true, force: true });
  }
});
