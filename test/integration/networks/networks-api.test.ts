import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chooseSubnet, hostRoutes } from '../../../src/drivers/network/index.js';
import { startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { assertMatchesSpec, assertStatusInSpec } from '../../compat/spec-check.js';

// The networks API against a real daemon: every endpoint's answers checked against the spec,
// Docker's errors for hostile or conflicting input, leases and inspect of running containers.

let d: TestDaemon;
const tag = randomBytes(2).toString('hex');
// A private /24 of this file's own for the user networks with a fixed subnet.
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

const call = (method: string, path: string, body?: unknown) =>
  raw(d.socket, method, `/v1.56${path}`, body === undefined ? undefined : JSON.stringify(body));

async function createContainer(body: Record<string, unknown>): Promise<string> {
  const r = await call('POST', '/containers/create', {
    Image: 'busybox',
    Cmd: ['sleep', '60'],
    ...body,
  });
  assert.equal(r.status, 201, r.text);
  return (r.json as { Id: string }).Id;
}

test('predefined networks are listed and cannot be created or removed', async () => {
  const r = await call('GET', '/networks');
  assertMatchesSpec('GET', '/networks', r.status, r.json);
  const names = (r.json as { Name: string }[]).map((n) => n.Name).sort();
  assert.deepEqual(names, ['bridge', 'host', 'none']);
  const bridge = await call('GET', '/networks/bridge');
  assertMatchesSpec('GET', '/networks/{id}', bridge.status, bridge.json);
  const b = bridge.json as {
    Driver: string;
    Options: Record<string, string>;
    IPAM: { Config: { Subnet: string }[] };
  };
  assert.equal(b.Driver, 'bridge');
  assert.match(b.Options['com.docker.network.bridge.name'] ?? '', /^bt[0-9a-f]{6}$/);
  assert.match(b.IPAM.Config[0]?.Subnet ?? '', /^10\.\d+\.\d+\.0\/24$/);
  for (const name of ['bridge', 'host', 'none']) {
    const rm = await call('DELETE', `/networks/${name}`);
    assertStatusInSpec('DELETE', '/networks/{id}', rm.status);
    assert.equal(rm.status, 403);
    assert.match(
      (rm.json as { message: string }).message,
      /pre-defined network and cannot be removed/,
    );
    const cr = await call('POST', '/networks/create', { Name: name });
    assertStatusInSpec('POST', '/networks/create', cr.status);
    assert.equal(cr.status, 403);
  }
});

test('create with IPAM, labels and options; inspect; duplicate; filters; remove', async () => {
  const name = `n-${tag}`;
  const r = await call('POST', '/networks/create', {
    Name: name,
    Labels: { team: 'a' },
    Options: { 'com.docker.network.driver.mtu': '1400' },
    IPAM: { Config: [{ Subnet: subnet, Gateway: `${prefix}.254`, IPRange: `${prefix}.128/25` }] },
  });
  assertMatchesSpec('POST', '/networks/create', r.status, r.json);
  const id = (r.json as { Id: string }).Id;
  const i = await call('GET', `/networks/${id.slice(0, 10)}`);
  assertMatchesSpec('GET', '/networks/{id}', i.status, i.json);
  const n = i.json as {
    Name: string;
    Labels: Record<string, string>;
    IPAM: { Config: { Subnet: string; Gateway: string; IPRange: string }[] };
    Containers: Record<string, unknown>;
  };
  assert.equal(n.Name, name);
  assert.deepEqual(n.Labels, { team: 'a' });
  assert.deepEqual(n.IPAM.Config, [
    { Subnet: subnet, Gateway: `${prefix}.254`, IPRange: `${prefix}.128/25` },
  ]);
  assert.deepEqual(n.Containers, {});

  const dup = await call('POST', '/networks/create', { Name: name });
  assert.equal(dup.status, 409);
  assert.match((dup.json as { message: string }).message, /already exists/);
  const overlap = await call('POST', '/networks/create', {
    Name: `o-${tag}`,
    IPAM: { Config: [{ Subnet: subnet }] },
  });
  assertStatusInSpec('POST', '/networks/create', overlap.status);
  assert.equal(overlap.status, 403);

  const byLabel = await call(
    'GET',
    `/networks?filters=${encodeURIComponent('{"label":["team=a"]}')}`,
  );
  assertMatchesSpec('GET', '/networks', byLabel.status, byLabel.json);
  assert.deepEqual(
    (byLabel.json as { Name: string }[]).map((x) => x.Name),
    [name],
  );
  const custom = await call(
    'GET',
    `/networks?filters=${encodeURIComponent('{"type":["custom"]}')}`,
  );
  assert.deepEqual(
    (custom.json as { Name: string }[]).map((x) => x.Name),
    [name],
  );
  const bad = await call('GET', `/networks?filters=${encodeURIComponent('{"color":["red"]}')}`);
  assert.equal(bad.status, 400);

  const rm = await call('DELETE', `/networks/${name}`);
  assertMatchesSpec('DELETE', '/networks/{id}', rm.status, rm.text);
  const gone = await call('GET', `/networks/${name}`);
  assertMatchesSpec('GET', '/networks/{id}', gone.status, gone.json);
  assert.equal(gone.status, 404);
});

test('hostile create bodies → 400/404 with Docker-style messages; the daemon keeps serving', async () => {
  const cases: [unknown, number, RegExp][] = [
    [{ Name: '' }, 400, /name/],
    [{ Name: 'a b' }, 400, /invalid network name/],
    [{ Name: `x-${tag}`, Driver: 'overlay' }, 404, /plugin "overlay" not found/],
    [{ Name: `x-${tag}`, IPAM: { Config: [{ Subnet: '10.1.2.3' }] } }, 400, /not an IPv4 CIDR/],
    [
      { Name: `x-${tag}`, IPAM: { Config: [{ Subnet: '10.250.1.0/24', Gateway: '10.9.9.9' }] } },
      400,
      /gateway/,
    ],
    [
      { Name: `x-${tag}`, Options: { 'com.docker.network.bridge.name': 'waytoolongbridgename' } },
      400,
      /bridge name/,
    ],
    [{ Name: 42 }, 400, /Name/],
  ];
  for (const [body, status, msg] of cases) {
    const r = await call('POST', '/networks/create', body);
    assertStatusInSpec('POST', '/networks/create', r.status);
    assert.equal(r.status, status, `${JSON.stringify(body)} → ${r.text}`);
    assert.match((r.json as { message: string }).message, msg);
  }
  assert.equal((await call('GET', '/_ping')).status, 200);
});

test('connect/disconnect a created container; leases while running; in-use network refuses rm; prune', async () => {
  const name = `c-${tag}`;
  const created = await call('POST', '/networks/create', {
    Name: name,
    IPAM: { Config: [{ Subnet: subnet }] },
  });
  assert.equal(created.status, 201, created.text);
  const id = await createContainer({ HostConfig: { NetworkMode: 'none' } });
  const refused = await call('POST', `/networks/${name}/connect`, { Container: id });
  assertStatusInSpec('POST', '/networks/{id}/connect', refused.status);
  assert.equal(refused.status, 400);

  const a = await createContainer({
    HostConfig: { NetworkMode: name },
    NetworkingConfig: {
      EndpointsConfig: {
        [name]: { IPAMConfig: { IPv4Address: `${prefix}.77` }, Aliases: ['web'] },
      },
    },
  });
  const b = await createContainer({});
  const conn = await call('POST', `/networks/${name}/connect`, {
    Container: b,
    EndpointConfig: { Aliases: ['other'] },
  });
  assertMatchesSpec('POST', '/networks/{id}/connect', conn.status, conn.text);
  const again = await call('POST', `/networks/${name}/connect`, { Container: b });
  assertStatusInSpec('POST', '/networks/{id}/connect', again.status);
  assert.notEqual(again.status, 200);

  // Not running: members, but no endpoints yet (Docker's Containers lists running ones).
  const idle = (await call('GET', `/networks/${name}`)).json as {
    Containers: Record<string, unknown>;
  };
  assert.deepEqual(idle.Containers, {});

  for (const c of [a, b]) assert.equal((await call('POST', `/containers/${c}/start`)).status, 204);
  const live = await call('GET', `/networks/${name}`);
  assertMatchesSpec('GET', '/networks/{id}', live.status, live.json);
  const members = (
    live.json as { Containers: Record<string, { IPv4Address: string; MacAddress: string }> }
  ).Containers;
  assert.deepEqual(Object.keys(members).sort(), [a, b].sort());
  assert.equal(members[a]?.IPv4Address, `${prefix}.77/24`);
  assert.match(members[b]?.MacAddress ?? '', /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
  assert.notEqual(members[b]?.IPv4Address, members[a]?.IPv4Address);

  const ins = (await call('GET', `/containers/${b}/json`)).json as {
    NetworkSettings: {
      IPAddress: string;
      SandboxKey: string;
      Networks: Record<string, { IPAddress: string; Aliases: string[] | null }>;
    };
  };
  assert.deepEqual(Object.keys(ins.NetworkSettings.Networks).sort(), ['bridge', name].sort());
  assert.match(ins.NetworkSettings.IPAddress, /^10\.\d+\.\d+\.\d+$/); // the default bridge's
  assert.deepEqual(ins.NetworkSettings.Networks[name]?.Aliases, ['other']);
  assert.notEqual(ins.NetworkSettings.SandboxKey, '');

  const inUse = await call('DELETE', `/networks/${name}`);
  assert.equal(inUse.status, 409);
  assert.match(
    (inUse.json as { message: string }).message,
    /error while removing network: network .* has active endpoints/,
  );

  const disc = await call('POST', `/networks/${name}/disconnect`, { Container: b });
  assertMatchesSpec('POST', '/networks/{id}/disconnect', disc.status, disc.text);
  const after1 = (await call('GET', `/networks/${name}`)).json as {
    Containers: Record<string, unknown>;
  };
  assert.deepEqual(Object.keys(after1.Containers), [a]);
  const notMember = await call('POST', `/networks/${name}/disconnect`, { Container: b });
  assertStatusInSpec('POST', '/networks/{id}/disconnect', notMember.status);
  assert.equal(notMember.status, 403);

  for (const c of [a, b, id])
    assert.equal((await call('DELETE', `/containers/${c}?force=1`)).status, 204);
  const pruned = await call('POST', '/networks/prune');
  assertMatchesSpec('POST', '/networks/prune', pruned.status, pruned.json);
  assert.ok((pruned.json as { NetworksDeleted: string[] }).NetworksDeleted.includes(name));
});
