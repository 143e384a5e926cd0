import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contains, firstHost, ipToNumber, overlaps, parseCidr, parseCidrLoose } from './cidr.js';
import { checkPorts, heldKeys, resolvePortMappings } from './ports.js';
import { modeOf } from './plan.js';
import { labelMatches } from './list.js';

test('cidr: parse, host bits, contains, overlaps, first host', () => {
  const c = parseCidr('10.1.2.77/24', 'subnet');
  assert.deepEqual(c, { base: ipToNumber('10.1.2.0'), prefix: 24 });
  assert.equal(parseCidrLoose('10.1.2.77/24', 'bip').ip, ipToNumber('10.1.2.77'));
  assert.equal(contains(c, ipToNumber('10.1.2.255') ?? 0), true);
  assert.equal(contains(c, ipToNumber('10.1.3.1') ?? 0), false);
  assert.equal(overlaps(c, parseCidr('10.1.0.0/16', 's')), true);
  assert.equal(overlaps(c, parseCidr('10.1.3.0/24', 's')), false);
  assert.equal(firstHost(c), '10.1.2.1');
  for (const bad of ['10.1.2.0', '10.1.2.0/33', '300.1.1.1/8', 'x/8'])
    assert.throws(() => parseCidr(bad, 'subnet'), /not an IPv4 CIDR/);
});

test('network modes', () => {
  assert.deepEqual(modeOf('default'), { kind: 'network', name: 'bridge' });
  assert.deepEqual(modeOf('mynet'), { kind: 'network', name: 'mynet' });
  assert.deepEqual(modeOf('host'), { kind: 'host' });
  assert.deepEqual(modeOf('none'), { kind: 'none' });
  assert.deepEqual(modeOf('container:abc'), { kind: 'container', ref: 'abc' });
  assert.throws(() => modeOf('container:'), /invalid network mode/);
});

test('labels: key or key=value', () => {
  assert.equal(labelMatches({ a: '1' }, 'a'), true);
  assert.equal(labelMatches({ a: '1' }, 'a=1'), true);
  assert.equal(labelMatches({ a: '1' }, 'a=2'), false);
});

test('checkPorts normalises keys, merges bindings into exposed and refuses bad input', () => {
  const p = checkPorts({
    exposed: ['53/udp'],
    bindings: { '80': [{ hostIp: '', hostPort: '8080' }] },
    publishAll: false,
  });
  assert.deepEqual(p.exposed.sort(), ['53/udp', '80/tcp']);
  assert.deepEqual(p.bindings, { '80/tcp': [{ hostIp: '', hostPort: '8080' }] });
  const bad: [Record<string, { hostIp: string; hostPort: string }[]>, RegExp][] = [
    [{ '0/tcp': [] }, /invalid port specification/],
    [{ '80/sctp': [] }, /SCTP/],
    [{ '80/tcp': [{ hostIp: '', hostPort: '70000' }] }, /invalid hostPort/],
    [{ '80/tcp': [{ hostIp: '', hostPort: '9-3' }] }, /invalid hostPort/],
    [{ '80/tcp': [{ hostIp: 'nope', hostPort: '1' }] }, /invalid IP address/],
  ];
  for (const [bindings, msg] of bad)
    assert.throws(() => checkPorts({ exposed: [], bindings, publishAll: false }), msg);
});

test('resolvePortMappings: random ports, -P, exposed without binding, conflicts with held ports', async () => {
  const r = await resolvePortMappings(
    {
      exposed: ['80/tcp', '81/tcp', '53/udp'],
      bindings: { '80/tcp': [{ hostIp: '127.0.0.1', hostPort: '' }] },
      publishAll: false,
    },
    new Set(),
  );
  assert.equal(r.mappings.length, 1);
  assert.equal(r.mappings[0]?.hostIp, '127.0.0.1');
  assert.ok((r.mappings[0]?.hostPort ?? 0) > 0);
  assert.equal(r.published['81/tcp'], null);
  assert.deepEqual(heldKeys(r.published), [`127.0.0.1:${r.mappings[0]?.hostPort}/tcp`]);
  const all = await resolvePortMappings(
    { exposed: ['81/tcp', '53/udp'], bindings: {}, publishAll: true },
    new Set(),
  );
  assert.deepEqual(all.mappings.map((m) => `${m.containerPort}/${m.protocol}`).sort(), [
    '53/udp',
    '81/tcp',
  ]);
  const bound = await resolvePortMappings(
    {
      exposed: ['82/tcp'],
      bindings: {
        '83/tcp': [{ hostIp: '', hostPort: '' }],
        '84/tcp': [{ hostIp: '0.0.0.0', hostPort: '' }],
      },
      publishAll: true,
    },
    new Set(),
    '127.0.0.1',
  );
  assert.deepEqual(
    bound.mappings.map((m) => `${m.containerPort}:${m.hostIp}`).sort(),
    ['82:127.0.0.1', '83:127.0.0.1', '84:0.0.0.0'],
    'host_binding_ipv4 fills in only missing addresses',
  );
  await assert.rejects(
    resolvePortMappings(
      {
        exposed: [],
        bindings: { '80/tcp': [{ hostIp: '', hostPort: '18080' }] },
        publishAll: false,
      },
      new Set([':18080/tcp']),
    ),
    /Bind for 0.0.0.0:18080 failed: port is already allocated/,
  );
});
