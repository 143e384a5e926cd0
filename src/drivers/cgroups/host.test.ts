import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProcStat, readHostCpu } from './host-cpu.js';
import { parseNetDev, readNetDev } from './net-dev.js';

test('/proc/stat: the first seven cpu fields in ns, and the online cpus', () => {
  const s = parseProcStat(
    'cpu  10 1 5 100 2 0 1 7 0 0\ncpu0 5 0 2 50 1 0 0 0 0 0\ncpu1 5 1 3 50 1 0 1 0 0 0\nintr 1\n',
  );
  assert.equal(s.systemNs, 119 * 10_000_000);
  assert.equal(s.onlineCpus, 2);
});

test('the real /proc/stat parses to sane numbers', async () => {
  const s = await readHostCpu();
  assert.ok(s.onlineCpus >= 1);
  assert.ok(s.systemNs > 0);
});

test('net/dev: loopback is left out, counters are mapped', () => {
  const text = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:     100       2    0    0    0     0          0         0      100       2    0    0    0     0       0          0
  eth0:    5338      36    1    2    0     0          0         0      648       8    3    4    0     0       0          0
`;
  assert.deepEqual(parseNetDev(text), {
    eth0: {
      rx_bytes: 5338,
      rx_packets: 36,
      rx_errors: 1,
      rx_dropped: 2,
      tx_bytes: 648,
      tx_packets: 8,
      tx_errors: 3,
      tx_dropped: 4,
    },
  });
});

test('net/dev of a missing process is undefined; of this one, an object', async () => {
  assert.equal(await readNetDev(2 ** 30), undefined);
  assert.equal(typeof (await readNetDev(process.pid)), 'object');
});
