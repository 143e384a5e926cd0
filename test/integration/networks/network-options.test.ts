import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chooseSubnet, hostRoutes } from '../../../src/drivers/network/index.js';
import { execFile } from '../../../src/lib/exec.js';
import { docker, dockerOk, startTestDaemon, type TestDaemon } from '../../helpers/test-daemon.js';
import { raw } from '../../helpers/raw-http.js';
import { assertStatusInSpec } from '../../compat/spec-check.js';

// Bridge options that were accepted and dropped: enable_ip_masquerade, host_binding_ipv4 and
// --aux-address are honoured; swarm, ingress and config-only networks are refused.
let d: TestDaemon;
let subnet = '';
let prefix = '';
before(async () => {
  d = await startTestDaemon();
  const start = 160 + (parseInt(randomBytes(1).toString('hex'), 16) % 20);
  subnet = chooseSubnet([`base=10.${start}.0.0/16,size=24`], await hostRoutes());
  prefix = subnet.replace(/\.0\/24$/, '');
});
after(async () => {
  await d.cleanup();
});

const ok = (args: string[]): Promise<string> => dockerOk(d, args);

const subnetOf = async (net: string): Promise<string> =>
  (await ok(['network', 'inspect', '-f', '{{(index .IPAM.Config 0).Subnet}}', net])).trim();

/** The outbound SNAT rule Berth installs for a network's subnet, if any. */
async function masqueradeRule(net: string): Promise<boolean> {
  const nat = (await execFile('iptables-save', ['-t', 'nat'], { timeoutMs: 10_000 })).stdout;
  const s = await subnetOf(net);
  return nat.split('\n').some((l) => l.includes(`-s ${s} ! -o`) && l.includes('MASQUERADE'));
}

test('enable_ip_masquerade=false leaves out the outbound MASQUERADE rule', async () => {
  await ok(['network', 'create', 'nm-on']);
  await ok([
    'network',
    'create',
    '-o',
    'com.docker.network.bridge.enable_ip_masquerade=false',
    'nm-off',
  ]);
  assert.equal(await masqueradeRule('nm-on'), true);
  assert.equal(await masqueradeRule('nm-off'), false);
  const bad = await docker(d, [
    'network',
    'create',
    '-o',
    'com.docker.network.bridge.enable_ip_masquerade=maybe',
    'nm-bad',
  ]);
  assert.match(bad.stderr, /not a boolean/);
  await ok(['network', 'rm', 'nm-on', 'nm-off']);
});

test('host_binding_ipv4 is the host address of ports published without one', async () => {
  await ok([
    'network',
    'create',
    '-o',
    'com.docker.network.bridge.host_binding_ipv4=127.0.0.1',
    'nb',
  ]);
  await ok([
    'run',
    '-d',
    '--name',
    'nb-c',
    '--network',
    'nb',
    '-p',
    '8080',
    '-p',
    '0.0.0.0::8081',
    'busybox',
    'sleep',
    '60',
  ]);
  const ports = await ok(['port', 'nb-c']);
  assert.match(ports, /^8080\/tcp -> 127\.0\.0\.1:\d+$/m);
  assert.match(ports, /^8081\/tcp -> 0\.0\.0\.0:\d+$/m, 'an explicit address is kept');
  await ok(['rm', '-f', 'nb-c']);
  await ok(['network', 'rm', 'nb']);
});

test('aux addresses are never handed out; they must lie in the subnet', async () => {
  const aux = ['--aux-address', `r1=${prefix}.2`, '--aux-address', `r2=${prefix}.3`];
  await ok(['network', 'create', '--subnet', subnet, ...aux, 'na']);
  const shown = JSON.parse(
    await ok([
      'network',
      'inspect',
      '-f',
      '{{json (index .IPAM.Config 0).AuxiliaryAddresses}}',
      'na',
    ]),
  );
  assert.deepEqual(shown, { r1: `${prefix}.2`, r2: `${prefix}.3` });
  await ok(['run', '-d', '--name', 'na-c', '--network', 'na', 'busybox', 'sleep', '60']);
  const ip = (
    await ok(['inspect', '-f', '{{.NetworkSettings.Networks.na.IPAddress}}', 'na-c'])
  ).trim();
  assert.equal(ip, `${prefix}.4`);
  const taken = await docker(d, [
    'run',
    '--rm',
    '--network',
    'na',
    '--ip',
    `${prefix}.2`,
    'busybox',
    'true',
  ]);
  assert.notEqual(taken.code, 0);
  assert.match(taken.stderr, /Address already in use/);
  await ok(['rm', '-f', 'na-c']);
  await ok(['network', 'rm', 'na']);
  // (the docker CLI checks this itself; the API answers other clients)
  const body = {
    Name: 'nx',
    IPAM: { Config: [{ Subnet: subnet, AuxiliaryAddresses: { x: '192.0.2.1' } }] },
  };
  const r = await raw(d.socket, 'POST', '/v1.56/networks/create', JSON.stringify(body));
  assert.equal(r.status, 400);
  assert.deepEqual(r.json, { message: 'no matching subnet for aux-address 192.0.2.1' });
});

test('swarm, ingress and config-only networks are refused (400)', async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ Scope: 'swarm' }, /swarm mode/],
    [{ Ingress: true }, /swarm mode/],
    [{ ConfigOnly: true }, /config-only networks are not supported/],
    [{ ConfigFrom: { Network: 'x' } }, /config-only networks are not supported/],
  ];
  for (const [body, message] of cases) {
    const r = await raw(
      d.socket,
      'POST',
      '/v1.56/networks/create',
      JSON.stringify({ Name: 'ns', ...body }),
    );
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.match(String((r.json as { message: string }).message), message);
  }
  assertStatusInSpec('POST', '/networks/create', 400);
  assert.doesNotMatch(await ok(['network', 'ls', '--format', '{{.Name}}']), /^ns$/m);
});
