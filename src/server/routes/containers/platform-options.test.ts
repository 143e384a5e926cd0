import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerCreateBody } from '../../../api/index.js';
import { annotationsOf, checkPlatformOptions } from './platform-options.js';

const body = (hc: Record<string, unknown>): ContainerCreateBody =>
  ({ Image: 'busybox', HostConfig: hc }) as ContainerCreateBody;

test("what the docker CLI sends by default passes; Linux's only isolation is accepted", () => {
  const cliDefaults = {
    Isolation: '',
    StorageOpt: {},
    IOMaximumBandwidth: 0,
    IOMaximumIOps: 0,
    VolumeDriver: '',
    CpuRealtimePeriod: 0,
    CpuRealtimeRuntime: 0,
    Cgroup: '',
    CpuCount: 0,
    CpuPercent: 0,
  };
  assert.doesNotThrow(() => checkPlatformOptions(body(cliDefaults)));
  assert.doesNotThrow(() => checkPlatformOptions(body({ Isolation: 'default' })));
  assert.doesNotThrow(() => checkPlatformOptions(body({ VolumeDriver: 'local', CpuCount: 2 })));
});

test('options without a Linux meaning are refused, each with its own message', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ Isolation: 'hyperv' }, /invalid isolation 'hyperv' on linux/],
    [{ StorageOpt: { size: '1G' } }, /--storage-opt is supported only for overlay over xfs/],
    [{ IOMaximumBandwidth: 1 }, /Invalid QoS settings/],
    [{ VolumeDriver: 'nfs' }, /error looking up volume plugin nfs: plugin "nfs" not found/],
    [{ CpuRealtimePeriod: 1000000 }, /CpuRealtimePeriod is not supported/],
    [{ Cgroup: 'container:x' }, /HostConfig.Cgroup is not supported/],
  ];
  for (const [hc, message] of cases) assert.throws(() => checkPlatformOptions(body(hc)), message);
});

test('annotations are string maps; empty means none', () => {
  assert.deepEqual(annotationsOf(body({ Annotations: { 'a.b': 'c' } })), { 'a.b': 'c' });
  assert.equal(annotationsOf(body({ Annotations: {} })), undefined);
  assert.equal(annotationsOf(body({})), undefined);
  assert.throws(() => annotationsOf(body({ Annotations: { k: 1 } })), /keys and values must be/);
  assert.throws(
    () => annotationsOf(body({ Annotations: ['x'] })),
    /invalid HostConfig.Annotations/,
  );
});
