import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cgroupStatsReader, detectCgroupVersion } from './detect.js';
import { parseBlkioV1 } from './stats-v1.js';
import { parseIoStatV2 } from './stats-v2.js';

/** Writes `files` (relative path → content) under a fresh temp dir; returns the dir. */
async function fakeTree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp('/tmp/berth-test-cg-');
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(join(root, rel, '..'), { recursive: true });
    await writeFile(join(root, rel), text);
  }
  return root;
}

const cg = 'berth/abc';

test('cgroup v1: every controller is read from its own hierarchy', async () => {
  const root = await fakeTree({
    [`cpuacct/${cg}/cpuacct.usage`]: '3000000000\n',
    [`cpuacct/${cg}/cpuacct.usage_percpu`]: '1000000000 2000000000 \n',
    [`cpuacct/${cg}/cpuacct.stat`]: 'user 150\nsystem 50\n',
    [`cpu/${cg}/cpu.stat`]: 'nr_periods 21\nnr_throttled 7\nthrottled_time 4000\n',
    [`memory/${cg}/memory.usage_in_bytes`]: '1048576\n',
    [`memory/${cg}/memory.max_usage_in_bytes`]: '2097152\n',
    [`memory/${cg}/memory.limit_in_bytes`]: '9223372036854771712\n',
    [`memory/${cg}/memory.failcnt`]: '0\n',
    [`memory/${cg}/memory.stat`]: 'cache 4096\nrss 8192\ntotal_inactive_file 4096\n',
    [`pids/${cg}/pids.current`]: '3\n',
    [`pids/${cg}/pids.max`]: 'max\n',
    [`blkio/${cg}/blkio.throttle.io_service_bytes`]: '8:0 Read 512\n8:0 Write 1024\nTotal 1536\n',
  });
  try {
    assert.equal(detectCgroupVersion(root), '1');
    const s = await cgroupStatsReader(root)(`/${cg}`);
    assert.equal(s.cpu.totalNs, 3e9);
    assert.deepEqual(s.cpu.perCpuNs, [1e9, 2e9]);
    assert.equal(s.cpu.userNs, 1.5e9);
    assert.equal(s.cpu.kernelNs, 0.5e9);
    assert.deepEqual(s.cpu.throttling, { periods: 21, throttledPeriods: 7, throttledTimeNs: 4000 });
    assert.equal(s.memory.usage, 1048576);
    assert.equal(s.memory.maxUsage, 2097152);
    assert.equal(s.memory.limit, undefined, 'an unlimited cgroup reports no limit');
    assert.deepEqual(s.memory.stats, { cache: 4096, rss: 8192, total_inactive_file: 4096 });
    assert.deepEqual(s.pids, { current: 3, limit: 0 });
    assert.deepEqual(s.blkio.ioServiceBytes, [
      { major: 8, minor: 0, op: 'Read', value: 512 },
      { major: 8, minor: 0, op: 'Write', value: 1024 },
    ]);
    await writeFile(join(root, 'memory', cg, 'memory.limit_in_bytes'), '33554432\n');
    await writeFile(join(root, 'pids', cg, 'pids.max'), '10\n');
    const limited = await cgroupStatsReader(root)(`/${cg}`);
    assert.equal(limited.memory.limit, 33554432);
    assert.equal(limited.pids.limit, 10);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('cgroup v2: one hierarchy, microseconds become nanoseconds', async () => {
  const root = await fakeTree({
    'cgroup.controllers': 'cpu io memory pids\n',
    [`${cg}/cpu.stat`]:
      'usage_usec 2500\nuser_usec 2000\nsystem_usec 500\nnr_periods 4\nnr_throttled 1\nthrottled_usec 30\n',
    [`${cg}/memory.current`]: '4096\n',
    [`${cg}/memory.max`]: 'max\n',
    [`${cg}/memory.stat`]: 'anon 1024\nfile 2048\ninactive_file 512\n',
    [`${cg}/pids.current`]: '1\n',
    [`${cg}/pids.max`]: '50\n',
    [`${cg}/io.stat`]: '259:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n',
  });
  try {
    assert.equal(detectCgroupVersion(root), '2');
    const s = await cgroupStatsReader(root)(`/${cg}`);
    assert.equal(s.cpu.totalNs, 2_500_000);
    assert.equal(s.cpu.userNs, 2_000_000);
    assert.equal(s.cpu.kernelNs, 500_000);
    assert.equal(s.cpu.perCpuNs, undefined);
    assert.deepEqual(s.cpu.throttling, {
      periods: 4,
      throttledPeriods: 1,
      throttledTimeNs: 30_000,
    });
    assert.equal(s.memory.usage, 4096);
    assert.equal(s.memory.limit, undefined);
    assert.equal(s.memory.maxUsage, undefined);
    assert.deepEqual(s.memory.stats, { anon: 1024, file: 2048, inactive_file: 512 });
    assert.deepEqual(s.pids, { current: 1, limit: 50 });
    assert.deepEqual(s.blkio.ioServiceBytes, [
      { major: 259, minor: 0, op: 'read', value: 100 },
      { major: 259, minor: 0, op: 'write', value: 200 },
    ]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a cgroup that is gone rejects (v1 and v2)', async () => {
  const root = await fakeTree({ 'cgroup.controllers': '' });
  try {
    await assert.rejects(cgroupStatsReader(root, '2')('/nope'), { code: 'ENOENT' });
    await assert.rejects(cgroupStatsReader(root, '1')('/nope'), { code: 'ENOENT' });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('blkio parsers skip junk and totals', () => {
  assert.deepEqual(parseBlkioV1('Total 5\n8:0 Read x\n\n8:16 Sync 3\n'), [
    { major: 8, minor: 16, op: 'Sync', value: 3 },
  ]);
  assert.deepEqual(parseIoStatV2('garbage\n'), []);
});
