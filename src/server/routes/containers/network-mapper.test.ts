import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerCreateBody } from '../../../api/index.js';
import { isKind } from '../../../errors/index.js';
import { endpointWish } from '../networks/mapper.js';
import { networkFieldsOf, primaryEndpointKey } from './network-mapper.js';

const body = (b: Record<string, unknown>) => ({ Image: 'busybox', ...b }) as ContainerCreateBody;
const mac = '02:42:ac:11:00:99';

test('EndpointsConfig MacAddress → endpoints[name].mac (the docker CLI ≥ API 1.44)', () => {
  const out = networkFieldsOf(
    body({
      HostConfig: { NetworkMode: 'front' },
      NetworkingConfig: {
        EndpointsConfig: {
          front: { MacAddress: mac, Aliases: null, IPAMConfig: null },
          back: { MacAddress: '' },
        },
      },
    }),
  );
  assert.deepEqual(out.endpoints, { front: { mac }, back: {} });
});

test('the container-wide MacAddress goes to the first network (older clients)', () => {
  assert.deepEqual(networkFieldsOf(body({ MacAddress: mac })).endpoints, { default: { mac } });
  assert.deepEqual(
    networkFieldsOf(body({ MacAddress: mac, HostConfig: { NetworkMode: 'front' } })).endpoints,
    { front: { mac } },
  );
  // Kept beside what the endpoint already asks for; the same MAC twice is fine.
  const both = networkFieldsOf(
    body({
      MacAddress: mac.toUpperCase(),
      HostConfig: { NetworkMode: 'front' },
      NetworkingConfig: {
        EndpointsConfig: { front: { MacAddress: mac, IPAMConfig: { IPv4Address: '10.9.0.9' } } },
      },
    }),
  );
  assert.deepEqual(both.endpoints, { front: { ipv4: '10.9.0.9', mac: mac.toUpperCase() } });
  // A non-network mode keeps it too: the networks service refuses it there with Docker's words.
  assert.deepEqual(
    networkFieldsOf(body({ MacAddress: mac, HostConfig: { NetworkMode: 'none' } })).endpoints,
    { none: { mac } },
  );
  assert.equal(networkFieldsOf(body({ MacAddress: '' })).endpoints, undefined);
});

test('a container-wide MacAddress differing from the endpoint’s, or not a string, is refused', () => {
  assert.throws(
    () =>
      networkFieldsOf(
        body({
          MacAddress: '02:42:ac:11:00:98',
          NetworkingConfig: { EndpointsConfig: { default: { MacAddress: mac } } },
        }),
      ),
    (e: unknown) =>
      isKind(e, 'InvalidParameter') && /must match the endpoint-specific/.test(String(e)),
  );
  assert.throws(
    () => networkFieldsOf(body({ MacAddress: 42 })),
    (e: unknown) => isKind(e, 'InvalidParameter') && /invalid MAC address: 42/.test(String(e)),
  );
});

test('primaryEndpointKey: an existing entry of the first network, else its mode', () => {
  assert.equal(primaryEndpointKey(undefined, {}), 'default');
  assert.equal(primaryEndpointKey('', { bridge: {} }), 'bridge');
  assert.equal(primaryEndpointKey('default', { default: {}, bridge: {} }), 'default');
  assert.equal(primaryEndpointKey('bridge', {}), 'bridge');
  assert.equal(primaryEndpointKey('front', { back: {} }), 'front');
});

test('network connect: EndpointConfig.MacAddress → the wish’s mac', () => {
  assert.deepEqual(endpointWish({ MacAddress: mac, Aliases: ['x'] }), { aliases: ['x'], mac });
  assert.deepEqual(endpointWish({ MacAddress: '' }), {});
  assert.deepEqual(endpointWish(null), {});
});
