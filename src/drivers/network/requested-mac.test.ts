import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { isKind } from '../../errors/index.js';
import { execFile } from '../../lib/exec.js';
import {
  NetworkDriver,
  chooseSubnet,
  hostRoutes,
  parseMac,
  type BridgeNetworkSpec,
} from './index.js';

// A requested MAC on a real veth, made by both of the driver's ways (own `ip` batches, the CNI
// bridge plugin); and the driver's own check of it. Names carry this run's tag.
const tag = randomBytes(3).toString('hex');
let root = '';
let spec: BridgeNetworkSpec;
const drivers: { ip?: NetworkDriver; cni?: NetworkDriver } = {};

before(async () => {
  root = await mkdtemp(`/tmp/bm${tag}-`);
  const opts = { stateDir: join(root, 'state'), runDir: join(root, 'run'), log: () => undefined };
  drivers.ip = new NetworkDriver(opts);
  drivers.cni = new NetworkDriver({ ...opts, veth: 'cni' });
  const r = 16 + (parseInt(tag.slice(2, 4), 16) % 200);
  const subnet = chooseSubnet([`base=10.${r}.0.0/16,size=24`], await hostRoutes());
  spec = {
    id: `m${tag}`,
    name: `m-${tag}`,
    bridge: `bm${tag}`,
    subnet,
    gateway: subnet.replace(/0\/24$/, '1'),
    internal: true,
    icc: true,
  };
  await drivers.ip.ensureNetwork(spec);
});

after(async () => {
  const d = drivers.ip;
  if (!d) return;
  for (const id of await d.listSandboxes()) await d.removeSandbox(id);
  await d.removeNetwork(spec);
  await rm(root, { recursive: true, force: true });
});

test('parseMac: six colon-separated hex pairs, unicast, not zero; lower case out', () => {
  assert.equal(parseMac('02:AB:cd:00:00:01'), '02:ab:cd:00:00:01');
  for (const bad of ['', '02:ab:cd:00:00', '01:ab:cd:00:00:01', '00:00:00:00:00:00', 7, null])
    assert.throws(
      () => parseMac(bad),
      (e: unknown) => isKind(e, 'InvalidParameter') && /invalid MAC address/.test(String(e)),
    );
});

for (const way of ['ip', 'cni'] as const)
  test(`attach with a requested MAC gives the container end that MAC (${way})`, async () => {
    const d = drivers[way];
    assert.ok(d);
    const id = `${tag}-${way}`;
    const ns = await d.createSandbox(id);
    const mac = way === 'ip' ? '02:00:5e:10:00:0a' : '0a:00:5e:10:00:0b';
    const host = way === 'ip' ? 10 : 11;
    const att = await d.attach(spec, {
      containerId: id,
      netnsPath: ns,
      ifName: 'eth0',
      address: spec.subnet.replace(/0\/24$/, String(host)),
      mac: mac.toUpperCase(),
      portMappings: [],
    });
    assert.equal(att.mac, mac);
    const link = await execFile('nsenter', [`--net=${ns}`, 'ip', '-o', 'link', 'show', 'eth0'], {
      timeoutMs: 15_000,
    });
    assert.ok(link.stdout.includes(`link/ether ${mac} `), link.stdout);
    await d.detach(spec, id, 'eth0');
    await d.removeSandbox(id);
  });

test('the driver refuses a bad MAC before it makes anything', async () => {
  const d = drivers.ip;
  assert.ok(d);
  const id = `${tag}-bad`;
  const before = (await readdir(`/sys/class/net/${spec.bridge}/brif`)).length;
  await assert.rejects(
    d.attach(spec, {
      containerId: id,
      netnsPath: join(root, 'run', 'netns', id),
      ifName: 'eth0',
      address: spec.subnet.replace(/0\/24$/, '12'),
      mac: '02:00:5e:10:00:0c address 02:00:00:00:00:01',
      portMappings: [],
    }),
    (e: unknown) => isKind(e, 'InvalidParameter'),
  );
  assert.equal((await readdir(`/sys/class/net/${spec.bridge}/brif`)).length, before);
});
