import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isKind } from '../../errors/index.js';
import { chooseSubnet, parsePool } from './subnet.js';
import { allocateAddress } from './ipam.js';
import { hostRoutes, parseProcRoutes } from './host-routes.js';
import { macFromIp, validateBridgeName } from './names.js';
import { overlaps, parseCidr, tryParseCidr } from './cidr.js';
import { ensureBatch, removeBatch } from './network-rules.js';
import { publishedPorts, portRules, assertPortsFree, canBind } from './ports.js';
import type { BridgeNetworkSpec } from './types.js';

test('cidr: parse, clear host bits, overlap', () => {
  assert.deepEqual(tryParseCidr('10.1.2.3/16'), { base: 0x0a010000, prefix: 16 });
  assert.equal(tryParseCidr('10.1.2/16'), null);
  assert.equal(tryParseCidr('10.1.2.256/16'), null);
  assert.equal(tryParseCidr('10.1.2.0/33'), null);
  assert.ok(overlaps(parseCidr('10.0.0.0/8'), parseCidr('10.9.9.0/24')));
  assert.ok(!overlaps(parseCidr('10.0.0.0/24'), parseCidr('10.0.1.0/24')));
  assert.throws(
    () => parseCidr('nope'),
    (e) => isKind(e, 'InvalidParameter'),
  );
});

test('chooseSubnet: splits pools, skips host routes and taken networks, ignores the default route', () => {
  const pools = ['base=172.30.0.0/16,size=24', 'base=10.90.0.0/16,size=24'];
  assert.equal(chooseSubnet(pools, []), '172.30.0.0/24');
  assert.equal(
    chooseSubnet(pools, ['0.0.0.0/0', '172.30.0.0/24', '172.30.1.128/25']),
    '172.30.2.0/24',
  );
  assert.equal(chooseSubnet(pools, ['172.30.0.0/16']), '10.90.0.0/24');
  assert.equal(chooseSubnet(['10.5.0.0/16'], ['10.5.0.0/24']), '10.5.1.0/24');
  assert.equal(chooseSubnet(['base=10.6.0.0/16,size=20'], ['10.6.3.0/24']), '10.6.16.0/20');
  assert.throws(
    () => chooseSubnet(['base=10.7.0.0/23,size=24'], ['10.7.0.0/24', '10.7.1.0/24', 'garbage']),
    (e) => isKind(e, 'Conflict') && /non-overlapping/.test((e as Error).message),
  );
  assert.throws(
    () => parsePool('base=10.0.0.0/16,size=8'),
    (e) => isKind(e, 'InvalidParameter'),
  );
  assert.throws(
    () => parsePool('size=24'),
    (e) => isKind(e, 'InvalidParameter'),
  );
});

test('allocateAddress: skips network, gateway, broadcast and used; honours ip-range and --ip', () => {
  const used = new Set(['10.1.0.2', '10.1.0.3/24']);
  assert.equal(allocateAddress('10.1.0.0/24', '10.1.0.1', null, used), '10.1.0.4');
  assert.equal(allocateAddress('10.1.0.0/24', '10.1.0.1', '10.1.0.128/25', used), '10.1.0.128');
  assert.equal(allocateAddress('10.1.0.0/24', '10.1.0.1', null, used, '10.1.0.77'), '10.1.0.77');
  assert.equal(
    allocateAddress('10.1.0.0/24', '10.1.0.1', '10.1.0.128/25', used, '10.1.0.9'),
    '10.1.0.9',
  );
  const bad = (f: () => unknown, kind: 'Conflict' | 'InvalidParameter'): void =>
    assert.throws(f, (e) => isKind(e, kind));
  bad(() => allocateAddress('10.1.0.0/24', '10.1.0.1', null, used, '10.1.0.2'), 'Conflict');
  bad(() => allocateAddress('10.1.0.0/24', '10.1.0.1', null, used, '10.1.0.1'), 'Conflict');
  bad(
    () => allocateAddress('10.1.0.0/24', '10.1.0.1', null, used, '10.1.0.255'),
    'InvalidParameter',
  );
  bad(() => allocateAddress('10.1.0.0/24', '10.1.0.1', null, used, '10.1.0.0'), 'InvalidParameter');
  bad(() => allocateAddress('10.1.0.0/24', '10.1.0.1', null, used, '10.2.0.5'), 'InvalidParameter');
  bad(() => allocateAddress('10.1.0.0/24', '10.1.0.1', null, used, 'x'), 'InvalidParameter');
  bad(() => allocateAddress('10.1.0.0/24', '10.1.0.1', '10.2.0.0/25', used), 'InvalidParameter');
  // /30: .0 network, .1 gateway, .2 free, .3 broadcast
  assert.equal(allocateAddress('10.3.0.0/30', '10.3.0.1', null, new Set()), '10.3.0.2');
  bad(() => allocateAddress('10.3.0.0/30', '10.3.0.1', null, new Set(['10.3.0.2'])), 'Conflict');
  // a whole /16 exhausted but one: still found, without building a set of every address
  const many = new Set<string>();
  for (let i = 2; i < 65534; i++) many.add(`10.4.${i >> 8}.${i & 255}`);
  many.delete('10.4.200.7');
  assert.equal(allocateAddress('10.4.0.0/16', '10.4.0.1', null, many), '10.4.200.7');
});

test('hostRoutes: parses /proc/net/route, default route as 0.0.0.0/0', async () => {
  const text =
    'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n' +
    'eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n' +
    'eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n' +
    'br\t0000100A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n' +
    'junk line\n';
  assert.deepEqual(parseProcRoutes(text).sort(), ['0.0.0.0/0', '10.16.0.0/16', '192.0.2.0/24']);
  const live = await hostRoutes();
  assert.ok(live.every((c) => tryParseCidr(c) !== null));
});

test('names: bridge validation and Docker-style MAC', () => {
  assert.equal(validateBridgeName('berth0'), 'berth0');
  for (const bad of ['', 'a'.repeat(16), 'a b', 'x;rm', '-x', 'a/b', '..'])
    assert.throws(
      () => validateBridgeName(bad),
      (e) => isKind(e, 'InvalidParameter'),
    );
  assert.equal(macFromIp('172.17.0.2'), '02:42:ac:11:00:02');
  assert.equal(macFromIp('10.88.0.5/16'), '02:42:0a:58:00:05');
});

const spec: BridgeNetworkSpec = {
  id: 'n1',
  name: 'n1',
  bridge: 'bq0',
  subnet: '10.9.0.0/24',
  gateway: '10.9.0.1',
  internal: false,
  icc: true,
};

test('network rules: ensure adds only missing jumps and keeps the DNAT chain; remove takes only tagged rules', () => {
  const first = ensureBatch(spec, [], []);
  assert.ok(first.filter?.some((l) => l.startsWith('-I FORWARD') && l.endsWith('-j BERTH-F-bq0')));
  assert.ok(first.nat?.includes(':BERTH-D-bq0 - [0:0]'));
  assert.ok(first.nat?.some((l) => l.includes('MASQUERADE') && l.includes('! -o bq0')));
  const filterNow = [
    ':FORWARD ACCEPT [0:0]',
    ':BERTH-F-bq0 - [0:0]',
    '-A FORWARD -m comment --comment berth:bq0 -j BERTH-F-bq0',
    '-A FORWARD -j OTHER',
  ];
  const natNow = [
    ':BERTH-D-bq0 - [0:0]',
    ':BERTH-N-bq0 - [0:0]',
    '-A POSTROUTING -m comment --comment berth:bq0 -j BERTH-N-bq0',
    '-A PREROUTING -m addrtype --dst-type LOCAL -m comment --comment berth:bq0 -j BERTH-D-bq0',
    '-A OUTPUT -m addrtype --dst-type LOCAL -m comment --comment berth:bq0 -j BERTH-D-bq0',
    '-A POSTROUTING -m comment --comment berth:bq01 -j BERTH-N-bq01',
  ];
  const again = ensureBatch(spec, filterNow, natNow);
  assert.ok(!again.filter?.some((l) => l.startsWith('-I FORWARD')));
  assert.ok(
    !again.nat?.some(
      (l) => l.includes('BERTH-D-bq0 - [0:0]') || /^-A (PREROUTING|OUTPUT|POSTROUTING)/.test(l),
    ),
  );
  const internal = ensureBatch({ ...spec, internal: true }, [], []);
  assert.ok(!internal.nat?.some((l) => l.includes('! -o bq0 -j MASQUERADE')));
  const unmasqueraded = ensureBatch({ ...spec, masquerade: false }, [], []);
  assert.ok(!unmasqueraded.nat?.some((l) => l.includes('! -o bq0 -j MASQUERADE')));
  assert.ok(unmasqueraded.nat?.some((l) => l.includes('--ctstate DNAT -j MASQUERADE')));
  const rm = removeBatch(spec, filterNow, natNow);
  assert.deepEqual(rm.filter, [
    '-D FORWARD -m comment --comment berth:bq0 -j BERTH-F-bq0',
    '-F BERTH-F-bq0',
    '-X BERTH-F-bq0',
  ]);
  assert.ok(
    !rm.nat?.some((l) => l.includes('bq01')),
    'another network with a longer name is untouched',
  );
  assert.equal(rm.nat?.filter((l) => l.startsWith('-D ')).length, 3);
});

test('ports: rules, published-port scan and "already allocated"', async () => {
  const b = portRules('bq0', 'c1', 'eth0', '10.9.0.2', [
    { hostIp: '', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
    { hostIp: '127.0.0.1', hostPort: 5353, containerPort: 53, protocol: 'udp' },
  ]);
  const saved = (b.nat ?? []).map((l) => l);
  const pub = publishedPorts(saved);
  assert.deepEqual(pub.get('tcp/8080'), ['']);
  assert.deepEqual(pub.get('udp/5353'), ['127.0.0.1']);
  const m = { hostIp: '', hostPort: 8080, containerPort: 81, protocol: 'tcp' as const };
  await assert.rejects(
    assertPortsFree([m], saved),
    (e) =>
      isKind(e, 'Conflict') &&
      (e as Error).message === 'Bind for 0.0.0.0:8080 failed: port is already allocated',
  );
  await assert.rejects(assertPortsFree([m, m], []), (e) => isKind(e, 'Conflict'));
  assert.equal(await canBind('udp', '127.0.0.1', 0), true);
});
