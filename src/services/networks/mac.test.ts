import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isKind } from '../../errors/index.js';
import { assertMacFree, refuseMacWithoutNetwork, requestedMac } from './mac.js';
import { endpointConfig } from './plan.js';
import type { Endpoint, Network } from './types.js';

const userNet: Network = {
  id: 'n1',
  name: 'front',
  driver: 'bridge',
  createdAt: '',
  config: {
    bridge: 'br-n1',
    subnet: '10.9.0.0/24',
    gateway: '10.9.0.1',
    ipRange: null,
    internal: false,
    attachable: false,
    icc: true,
    labels: {},
    options: {},
    userIpam: true,
  },
};

const member = (containerId: string, mac: string | null): Endpoint => ({
  networkId: 'n1',
  containerId,
  seq: 0,
  config: { ipv4: null, aliases: [], links: [] },
  address: mac ? '10.9.0.2' : null,
  endpointId: null,
  mac,
  ifName: mac ? 'eth0' : null,
});

const invalid = (re: RegExp) => (e: unknown) => isKind(e, 'InvalidParameter') && re.test(String(e));

test('requestedMac: unicast xx:xx:xx:xx:xx:xx, lower-cased; absent or empty = none', () => {
  assert.equal(requestedMac({ mac: '02:42:AC:11:00:99' }), '02:42:ac:11:00:99');
  assert.equal(requestedMac({ mac: 'de:ad:be:ef:00:01' }), 'de:ad:be:ef:00:01');
  assert.equal(requestedMac({}), undefined);
  assert.equal(requestedMac({ mac: '' }), undefined);
  assert.equal(requestedMac(undefined), undefined);
  for (const bad of [
    'zz',
    '02:42:ac:11:00',
    '02:42:ac:11:00:99:01',
    '02-42-ac-11-00-99',
    '0242.ac11.0099',
    ' 02:42:ac:11:00:99',
    '02:42:ac:11:00:99\n',
    '2:42:ac:11:0:99',
    '00:00:00:00:00:00',
  ])
    assert.throws(() => requestedMac({ mac: bad }), invalid(/^.*invalid MAC address: /), bad);
  // The lowest bit of the first octet marks a multicast (group) address.
  for (const multicast of ['01:00:5e:00:00:01', '03:42:ac:11:00:99', 'ff:ff:ff:ff:ff:ff'])
    assert.throws(() => requestedMac({ mac: multicast }), invalid(/not a unicast address/));
});

test('endpointConfig stores the requested MAC (and nothing when none was asked for)', () => {
  assert.deepEqual(endpointConfig(userNet, { mac: '02:AA:00:00:00:01' }, []), {
    ipv4: null,
    aliases: [],
    links: [],
    mac: '02:aa:00:00:00:01',
  });
  assert.equal('mac' in endpointConfig(userNet, { ipv4: '10.9.0.7' }, []), false);
  assert.throws(() => endpointConfig(userNet, { mac: 'nope' }, []), invalid(/nope/));
});

test('refuseMacWithoutNetwork: none, host and container: modes cannot take a MAC', () => {
  assert.throws(
    () => refuseMacWithoutNetwork({ none: { mac: '02:42:ac:11:00:99' } }),
    invalid(/conflicting options: mac-address and the network mode/),
  );
  refuseMacWithoutNetwork({ none: {} });
  refuseMacWithoutNetwork({ host: { mac: '' } });
});

test('assertMacFree: only another container’s live endpoint holds a MAC (409)', () => {
  const mac = '02:42:ac:11:00:99';
  assert.throws(
    () => assertMacFree([member('a', mac)], 'b', mac, 'front'),
    (e: unknown) => isKind(e, 'Conflict') && /02:42:ac:11:00:99 on network front/.test(String(e)),
  );
  assertMacFree([member('a', mac)], 'a', mac, 'front'); // its own endpoint
  assertMacFree([member('a', null)], 'b', mac, 'front'); // a stopped one does not hold it
  assertMacFree([member('a', '02:42:ac:11:00:98')], 'b', mac, 'front');
});
