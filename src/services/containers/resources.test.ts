import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkResources, noResources, runtimeResources } from './resources.js';

const MB = 1024 * 1024;
const r = (over: Partial<typeof noResources>) => ({ ...noResources, ...over });

test('no limits map to nothing', () => {
  assert.deepEqual(runtimeResources(noResources), {});
  assert.doesNotThrow(() => checkResources(noResources, 2));
});

test('memory gets as much swap as memory unless told; -1 is unlimited swap', () => {
  assert.deepEqual(runtimeResources(r({ memory: 64 * MB })).memory, {
    limit: 64 * MB,
    swap: 128 * MB,
  });
  assert.deepEqual(runtimeResources(r({ memory: 64 * MB, memorySwap: -1 })).memory, {
    limit: 64 * MB,
    swap: -1,
  });
  assert.deepEqual(runtimeResources(r({ memory: 64 * MB, memorySwap: 64 * MB })).memory, {
    limit: 64 * MB,
    swap: 64 * MB,
  });
});

test('NanoCpus become a CFS quota over a 100 ms period', () => {
  assert.deepEqual(runtimeResources(r({ nanoCpus: 1_500_000_000 })).cpu, {
    period: 100_000,
    quota: 150_000,
  });
  assert.deepEqual(
    runtimeResources(r({ cpuShares: 1 })).cpu,
    { shares: 2 },
    'shares are clamped to the kernel minimum',
  );
});

test('pids: only a positive limit is set; OomKillDisable passes through', () => {
  assert.equal(runtimeResources(r({ pidsLimit: -1 })).pidsLimit, undefined);
  assert.equal(runtimeResources(r({ pidsLimit: 9 })).pidsLimit, 9);
  assert.equal(runtimeResources(r({ oomKillDisable: true })).disableOomKiller, true);
});

test("invalid combinations fail with Docker's messages", () => {
  const bad: [Partial<typeof noResources>, RegExp][] = [
    [{ memory: 5 * MB }, /Minimum memory limit allowed is 6MB/],
    [{ memorySwap: 64 * MB }, /always set the Memory limit when using Memoryswap/],
    [{ memory: 64 * MB, memorySwap: 32 * MB }, /memoryswap limit should be larger/],
    [{ memory: 64 * MB, memoryReservation: 128 * MB }, /can not be less than memory reservation/],
    [{ nanoCpus: 1e9, cpuQuota: 50_000 }, /Nano CPUs and CPU Quota cannot both be set/],
    [{ nanoCpus: 3e9 }, /Range of CPUs is from 0\.01 to 2\.00, as there are only 2 CPUs available/],
    [{ cpuPeriod: 500 }, /CPU cfs period can not be less than 1ms/],
    [{ cpusetCpus: '0-3' }, /Requested CPUs are not available - requested 0-3, available: 0-1/],
    [{ cpusetMems: 'x' }, /Invalid value x for cpuset mems/],
  ];
  for (const [over, message] of bad)
    assert.throws(() => checkResources(r(over), 2), message, JSON.stringify(over));
});

test('memory swappiness: -1 is unset, 0-100 allowed, anything else refused as Docker does', () => {
  assert.doesNotThrow(() => checkResources(r({ memorySwappiness: 0 }), 2));
  assert.doesNotThrow(() => checkResources(r({ memorySwappiness: 100 }), 2));
  assert.throws(
    () => checkResources(r({ memorySwappiness: 101 }), 2),
    /Invalid value: 101, valid memory swappiness range is 0-100/,
  );
  assert.throws(() => checkResources(r({ memorySwappiness: -2 }), 2), /swappiness range/);
});
