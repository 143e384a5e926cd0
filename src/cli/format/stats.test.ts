import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatStatsTable, statsRow } from './stats.js';

test('CPU and memory as the docker CLI computes them', () => {
  const row = statsRow({
    id: 'abcdef0123456789',
    name: '/web',
    cpu_stats: { cpu_usage: { total_usage: 1_500 }, system_cpu_usage: 10_000, online_cpus: 2 },
    precpu_stats: { cpu_usage: { total_usage: 500 }, system_cpu_usage: 6_000 },
    memory_stats: {
      usage: 3 * 1024 * 1024,
      limit: 100 * 1024 * 1024,
      stats: { total_inactive_file: 1024 * 1024 },
    },
    pids_stats: { current: 4 },
    networks: { eth0: { rx_bytes: 1000, tx_bytes: 2000 } },
    blkio_stats: { io_service_bytes_recursive: [{ major: 8, minor: 0, op: 'Read', value: 4096 }] },
  });
  assert.equal(row.cpuPercent, 50);
  assert.equal(row.memUsage, 2 * 1024 * 1024);
  assert.equal(row.memPercent, 2);
  assert.equal(row.blockRead, 4096);
  assert.equal(row.netTx, 2000);
  const table = formatStatsTable([row]).split('\n');
  assert.match(table[0] ?? '', /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %/);
  assert.match(
    table[1] ?? '',
    /^abcdef012345\s+web\s+50\.00%\s+2MiB \/ 100MiB\s+2\.00%\s+1kB \/ 2kB\s+4\.1kB \/ 0B\s+4$/,
  );
});

test('a zeroed (stopped) sample gives zeros, never NaN', () => {
  const row = statsRow({ name: '/x', id: 'x' });
  assert.equal(row.cpuPercent, 0);
  assert.equal(row.memPercent, 0);
});
