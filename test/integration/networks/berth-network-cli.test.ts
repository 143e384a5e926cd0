import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chooseSubnet, hostRoutes } from '../../../src/drivers/network/index.js';
import { berth, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';

// `berth network …` and the networking flags of `berth run` against a real daemon.

let d: TestDaemon;
const tag = randomBytes(3).toString('hex');
const net = `cli-${tag}`;
// A /24 of this file's own, free on the host now (between the benchmarks' and the test daemons'
// ranges), for the user networks with a fixed subnet.
let subnet = '';
let prefix = '';

before(async () => {
  d = await startTestDaemon();
  const start = 180 + (parseInt(tag.slice(0, 2), 16) % 20);
  subnet = chooseSubnet([`base=10.${start}.0.0/16,size=24`], await hostRoutes());
  prefix = subnet.replace(/\.0\/24$/, '');
});
after(async () => {
  await d.cleanup();
});

async function ok(args: string[]): Promise<string> {
  const r = await berth(d, args);
  assert.equal(r.code, 0, `berth ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

test('berth network create / ls / inspect / connect / disconnect / rm / prune', async () => {
  const id = await ok(['network', 'create', '--subnet', subnet, '--label', 'k=v', net]);
  assert.match(id, /^[0-9a-f]{64}$/);
  const ls = await ok(['network', 'ls', '--filter', 'label=k=v']);
  assert.match(ls, new RegExp(`^${id.slice(0, 12)}\\s+${net}\\s+bridge\\s+local$`, 'm'));
  assert.equal(await ok(['network', 'ls', '-q', '--filter', `name=${net}`]), id.slice(0, 12));
  const inspected = JSON.parse(await ok(['network', 'inspect', net])) as {
    IPAM: { Config: { Subnet: string }[] };
  }[];
  assert.equal(inspected[0]?.IPAM.Config[0]?.Subnet, subnet);

  const c = await ok([
    'run',
    '-d',
    '--network',
    net,
    '--ip',
    `${prefix}.9`,
    '--network-alias',
    'al',
    'busybox',
    'sleep',
    '60',
  ]);
  const members = JSON.parse(await ok(['network', 'inspect', net])) as {
    Containers: Record<string, { IPv4Address: string }>;
  }[];
  assert.equal(members[0]?.Containers[c]?.IPv4Address, `${prefix}.9/24`);
  await ok(['network', 'disconnect', net, c]);
  await ok(['network', 'connect', '--ip', `${prefix}.10`, net, c]);
  const again = JSON.parse(await ok(['network', 'inspect', net])) as {
    Containers: Record<string, { IPv4Address: string }>;
  }[];
  assert.equal(again[0]?.Containers[c]?.IPv4Address, `${prefix}.10/24`);

  const busy = await berth(d, ['network', 'rm', net]);
  assert.equal(busy.code, 1);
  assert.match(busy.stderr, /has active endpoints/);
  await ok(['rm', '-f', c]);
  assert.equal(await ok(['network', 'rm', net]), net);
  await ok(['network', 'create', `p-${tag}`]);
  assert.match(await ok(['network', 'prune', '-f']), new RegExp(`Deleted Networks:\\np-${tag}`));
});

test('berth run -p publishes a port that berth ps shows', async () => {
  const c = await ok([
    'run',
    '-d',
    '-p',
    '127.0.0.1::80',
    '-p',
    '127.0.0.1::53/udp',
    'busybox',
    'sleep',
    '60',
  ]);
  const listed = (await ok(['ps', '--no-trunc'])).split('\n').find((l) => l.startsWith(c)) ?? '';
  assert.match(listed, /127\.0\.0\.1:\d+->80\/tcp/);
  assert.match(listed, /127\.0\.0\.1:\d+->53\/udp/);
  await ok(['rm', '-f', c]);
});
