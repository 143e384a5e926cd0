import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { docker, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { assertMatchesSpec, assertStatusInSpec } from '../../compat/spec-check.js';

// `docker run --mac-address` / an endpoint's MacAddress, end to end with the real docker CLI:
// the container's interface has the MAC, inspect shows it, it survives a restart; bad, multicast
// and duplicate MACs are refused, and a MAC with a mode that has no endpoint of its own too.

let d: TestDaemon;
const tag = randomBytes(3).toString('hex');
const net = `mac-${tag}`;
const net2 = `mac2-${tag}`;
// Locally administered unicast MACs with this run's tag in them.
const t = `${tag.slice(0, 2)}:${tag.slice(2, 4)}:${tag.slice(4, 6)}`;
const macA = `02:00:${t}:01`;
const macB = `06:00:${t}:02`;

before(async () => {
  d = await startTestDaemon();
  for (const n of [net, net2]) await ok(['network', 'create', n]);
});
after(async () => {
  await d.cleanup();
});

const call = (method: string, path: string, body?: unknown) =>
  raw(d.socket, method, `/v1.56${path}`, body === undefined ? undefined : JSON.stringify(body));

async function ok(args: string[]): Promise<string> {
  const r = await docker(d, args);
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** The MAC of `ifName` inside a running container, from `ip link`. */
async function linkMac(ctr: string, ifName: string): Promise<string> {
  const out = await ok(['exec', ctr, 'ip', 'link', 'show', ifName]);
  return /link\/ether ([0-9a-f:]{17})/.exec(out)?.[1] ?? out;
}

interface Inspect {
  NetworkSettings: { MacAddress: string; Networks: Record<string, { MacAddress: string }> };
}
async function inspect(ctr: string): Promise<Inspect> {
  const r = await call('GET', `/containers/${ctr}/json`);
  assertMatchesSpec('GET', '/containers/{id}/json', r.status, r.json);
  return r.json as Inspect;
}

test('--mac-address on the default bridge: ip link inside and inspect show it', async () => {
  const out = await ok([
    'run',
    '--rm',
    '--mac-address',
    macB.toUpperCase(),
    'busybox',
    'ip',
    'link',
    'show',
    'eth0',
  ]);
  assert.match(out, new RegExp(`link/ether ${macB} `));
  const id = await ok(['run', '-d', '--mac-address', macB, 'busybox', 'sleep', '300']);
  const i = await inspect(id);
  assert.equal(i.NetworkSettings.Networks['bridge']?.MacAddress, macB);
  assert.equal(i.NetworkSettings.MacAddress, macB);
  assert.equal(
    await ok(['inspect', '-f', '{{.NetworkSettings.Networks.bridge.MacAddress}}', id]),
    macB,
  );
  await ok(['rm', '-f', id]);
});

test('--mac-address on a user network keeps the MAC across docker restart', async () => {
  const id = await ok([
    'run',
    '-d',
    '--name',
    `a-${tag}`,
    '--network',
    net,
    '--mac-address',
    macA,
    'busybox',
    'sleep',
    '300',
  ]);
  assert.equal(await linkMac(id, 'eth0'), macA);
  assert.equal((await inspect(id)).NetworkSettings.Networks[net]?.MacAddress, macA);
  await ok(['restart', '-t', '0', id]);
  assert.equal(await linkMac(id, 'eth0'), macA);
  assert.equal((await inspect(id)).NetworkSettings.Networks[net]?.MacAddress, macA);
  // network inspect lists it with that MAC too
  const n = JSON.parse(await ok(['network', 'inspect', net])) as {
    Containers: Record<string, { MacAddress: string }>;
  }[];
  assert.equal(n[0]?.Containers[id]?.MacAddress, macA);

  // The same MAC on the same network: the second container cannot start (409), the first is
  // untouched; once the first is stopped the MAC is free again.
  const create = await call('POST', '/containers/create', {
    Image: 'busybox',
    Cmd: ['sleep', '300'],
    HostConfig: { NetworkMode: net },
    NetworkingConfig: { EndpointsConfig: { [net]: { MacAddress: macA } } },
  });
  assertStatusInSpec('POST', '/containers/create', create.status);
  assert.equal(create.status, 201, create.text);
  const dup = (create.json as { Id: string }).Id;
  const start = await call('POST', `/containers/${dup}/start`);
  assert.equal(start.status, 409, start.text);
  assert.match(
    start.text,
    new RegExp(`Address already in use: MAC address ${macA} on network ${net}`),
  );
  const cli = await docker(d, [
    'run',
    '--rm',
    '--network',
    net,
    '--mac-address',
    macA,
    'busybox',
    'true',
  ]);
  assert.notEqual(cli.code, 0);
  assert.match(cli.stderr, /Address already in use/);
  assert.equal(await linkMac(id, 'eth0'), macA);
  await ok(['stop', '-t', '0', id]);
  assert.equal((await call('POST', `/containers/${dup}/start`)).status, 204);
  assert.equal(await linkMac(dup, 'eth0'), macA);
  await ok(['rm', '-f', id, dup]);
});

test('a bad or multicast MAC is refused with 400 (API and docker CLI)', async () => {
  for (const mac of [
    'zz:00:00:00:00:01',
    '02:00:00:00:01',
    '01:00:5e:00:00:01',
    '03:00:00:00:00:01',
  ]) {
    for (const body of [
      { NetworkingConfig: { EndpointsConfig: { default: { MacAddress: mac } } } },
      { MacAddress: mac }, // the container-wide field of clients before API 1.44
      {
        HostConfig: { NetworkMode: net },
        NetworkingConfig: { EndpointsConfig: { [net]: { MacAddress: mac } } },
      },
    ]) {
      const r = await call('POST', '/containers/create', { Image: 'busybox', ...body });
      assertStatusInSpec('POST', '/containers/create', r.status);
      assert.equal(r.status, 400, `${mac}: ${r.text}`);
      assert.match(r.text, /invalid MAC address: /);
    }
  }
  // The CLI checks the syntax itself; a multicast MAC gets through to the daemon.
  const multi = await docker(d, [
    'run',
    '--rm',
    '--mac-address',
    '01:00:5e:00:00:01',
    'busybox',
    'true',
  ]);
  assert.notEqual(multi.code, 0);
  assert.match(multi.stderr, /invalid MAC address: 01:00:5e:00:00:01/);
  assert.equal(
    await ok(['ps', '-aq', '--filter', 'ancestor=busybox', '--filter', 'status=created']),
    '',
  );
});

test('--network none/host/container: with a MAC is refused', async () => {
  const r = await docker(d, [
    'run',
    '--rm',
    '--network',
    'none',
    '--mac-address',
    macB,
    'busybox',
    'true',
  ]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /conflicting options: mac-address and the network mode/);
  for (const mode of ['none', 'host', 'container:whatever']) {
    const c = await call('POST', '/containers/create', {
      Image: 'busybox',
      HostConfig: { NetworkMode: mode },
      MacAddress: macB,
    });
    assertStatusInSpec('POST', '/containers/create', c.status);
    assert.equal(c.status, 400, `${mode}: ${c.text}`);
    assert.match(c.text, /conflicting options: mac-address and the network mode/);
  }
});

test('network connect with EndpointConfig.MacAddress gives the new interface that MAC', async () => {
  const id = await ok(['run', '-d', '--network', net, 'busybox', 'sleep', '300']);
  const r = await call('POST', `/networks/${net2}/connect`, {
    Container: id,
    EndpointConfig: { MacAddress: macB.toUpperCase() },
  });
  assertStatusInSpec('POST', '/networks/{id}/connect', r.status);
  assert.equal(r.status, 200, r.text);
  assert.equal(await linkMac(id, 'eth1'), macB);
  assert.equal((await inspect(id)).NetworkSettings.Networks[net2]?.MacAddress, macB);
  // a bad one is refused before anything changes
  await ok(['network', 'disconnect', net2, id]);
  const bad = await call('POST', `/networks/${net2}/connect`, {
    Container: id,
    EndpointConfig: { MacAddress: 'ff:ff:ff:ff:ff:ff' },
  });
  assertStatusInSpec('POST', '/networks/{id}/connect', bad.status);
  assert.equal(bad.status, 400, bad.text);
  assert.equal((await inspect(id)).NetworkSettings.Networks[net2], undefined);
  await ok(['rm', '-f', id]);
});
