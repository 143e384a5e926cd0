import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  adjustCapabilities,
  capabilitiesInMask,
  capabilityBit,
  CAPABILITY_NAMES,
  DEFAULT_CAPABILITIES,
  maskOfCapabilities,
  normalizeCapability,
} from './capabilities.js';

test('bit table: CAP_CHOWN=0 … CAP_CHECKPOINT_RESTORE=40', () => {
  assert.equal(CAPABILITY_NAMES.length, 41);
  assert.equal(capabilityBit('CAP_CHOWN'), 0);
  assert.equal(capabilityBit('CAP_SYS_ADMIN'), 21);
  assert.equal(capabilityBit('CAP_SYS_RESOURCE'), 24);
  assert.equal(capabilityBit('CAP_CHECKPOINT_RESTORE'), 40);
  assert.equal(capabilityBit('CAP_NOPE'), undefined);
});

test("Docker's defaults are CapEff 00000000a80425fb", () => {
  assert.equal(maskOfCapabilities(DEFAULT_CAPABILITIES), 0xa80425fbn);
  assert.deepEqual([...capabilitiesInMask(0xa80425fbn)].sort(), [...DEFAULT_CAPABILITIES].sort());
});

test('normalizeCapability accepts Docker spellings and rejects unknown names', () => {
  assert.equal(normalizeCapability('net_admin'), 'CAP_NET_ADMIN');
  assert.equal(normalizeCapability('CAP_net_admin'), 'CAP_NET_ADMIN');
  assert.throws(() => normalizeCapability('ALL'), { kind: 'InvalidParameter' });
  assert.throws(() => normalizeCapability('CAP_'), { kind: 'InvalidParameter' });
});

test('adjustCapabilities: add, drop, ALL', () => {
  const base = ['CAP_CHOWN', 'CAP_KILL'];
  assert.deepEqual(adjustCapabilities(base, ['sys_admin', 'kill'], ['chown']), [
    'CAP_KILL',
    'CAP_SYS_ADMIN',
  ]);
  assert.deepEqual(adjustCapabilities(base, ['NET_ADMIN'], ['ALL']), ['CAP_NET_ADMIN']);
  const all = adjustCapabilities(base, ['ALL'], ['SYS_ADMIN']);
  assert.equal(all.length, 40);
  assert.ok(!all.includes('CAP_SYS_ADMIN'));
});
