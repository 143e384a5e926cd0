import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { isKind } from '../../errors/index.js';
import { execFile } from '../../lib/exec.js';
import {
  NetworkDriver,
  chooseSubnet,
  hostRoutes,
  macFromIp,
  type BridgeNetworkSpec,
} from './index.js';

// Real bridges, netns, veths and iptables rules, named per test file run so files run in parallel.
const tag = randomBytes(3).toString('hex');
const netns = (ns: string, args: string[]) =>
  execFile('nsenter', [`--net=${ns}`, ...args], { timeoutMs: 15_000 });
const ping = async (ns: string, ip: string) =>
  (await netns(ns, ['busybox', 'ping', '-c', '1', '-W', '1', ip])).code === 0;

/** Everything Berth could leak that this file's names identify. */
async function leaks(root: string): Promise<{ rules: number; links: number; netns: number }> {
  const save = await execFile('sh', ['-c', 'iptables-save -t filter; iptables-save -t nat'], {
    timeoutMs: 15_000,
  });
  const rules = save.stdout.split('\n').filter((l) => l.includes(`bn${tag}`)).length;
  const links = (await readdir('/sys/class/net')).filter((n) => n.startsWith(`bn${tag}`)).length;
  const ns = await readdir(join(root, 'run', 'netns')).catch(() => []);
  return { rules, links, netns: ns.length };
}

let root = '';
let driver: NetworkDriver;
let cniDriver: NetworkDriver; // same dirs, veths made by the CNI bridge plugin
const specs: BridgeNetworkSpec[] = [];
const children: ChildProcess[] = [];
/** The host veth ends on this file's bridges (other engineers' veths come and go meanwhile). */
const ourVeths = async (): Promise<string[]> =>
  (
    await Promise.all(specs.map((s) => readdir(`/sys/class/net/${s.bridge}/brif`).catch(() => [])))
  ).flat();
const exists = async (dev: string) => (await readdir('/sys/class/net')).includes(dev);

function net(suffix: string, internal = false): BridgeNetworkSpec {
  const taken = [...specs.map((s) => s.subnet)];
  const r = 16 + (parseInt(tag.slice(0, 2), 16) % 200);
  const subnet = chooseSubnet([`base=10.${r}.0.0/16,size=24`], [...taken, ...hostRoutesNow]);
  const gateway = subnet.replace(/0\/24$/, '1');
  const spec = {
    id: `${tag}${suffix}`,
    name: `t-${tag}-${suffix}`,
    bridge: `bn${tag}${suffix}`,
    subnet,
    gateway,
    internal,
    icc: true,
  };
  specs.push(spec);
  return spec;
}
const ipIn = (s: BridgeNetworkSpec, host: number) => s.subnet.replace(/0\/24$/, String(host));
let hostRoutesNow: string[] = [];

before(async () => {
  root = await mkdtemp(`/tmp/bn${tag}-`);
  driver = new NetworkDriver({
    stateDir: join(root, 'state'),
    runDir: join(root, 'run'),
    log: () => undefined,
  });
  cniDriver = new NetworkDriver({
    stateDir: join(root, 'state'),
    runDir: join(root, 'run'),
    log: () => undefined,
    veth: 'cni',
  });
  hostRoutesNow = await hostRoutes();
});

after(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const id of await driver.listSandboxes()) await driver.removeSandbox(id);
  for (const s of specs) await driver.removeNetwork(s);
  await rm(root, { recursive: true, force: true });
});

test('two sandboxes on one network reach each other; a published port answers on 127.0.0.1', async () => {
  const a = net('a');
  await driver.ensureNetwork(a);
  await driver.ensureNetwork(a); // idempotent
  const port = await driver.randomHostPort('tcp');
  const uport = await driver.randomHostPort('udp', '127.0.0.1');
  const nsA = await driver.createSandbox(`${tag}-a1`);
  const nsB = await driver.createSandbox(`${tag}-a2`);
  const att = await driver.attach(a, {
    containerId: `${tag}-a1`,
    netnsPath: nsA,
    ifName: 'eth0',
    address: `${ipIn(a, 10)}/24`,
    portMappings: [
      { hostIp: '', hostPort: port, containerPort: 80, protocol: 'tcp' },
      { hostIp: '127.0.0.1', hostPort: uport, containerPort: 5353, protocol: 'udp' },
    ],
  });
  assert.deepEqual(att, {
    ifName: 'eth0',
    address: `${ipIn(a, 10)}/24`,
    gateway: a.gateway,
    mac: macFromIp(ipIn(a, 10)),
  });
  const link = await netns(nsA, ['ip', '-o', 'link', 'show', 'eth0']);
  assert.ok(link.stdout.includes(`link/ether ${att.mac} `), link.stdout);
  // The second sandbox gets its veth from the CNI bridge plugin: both ways must interoperate.
  const viaCni = await cniDriver.attach(a, {
    containerId: `${tag}-a2`,
    netnsPath: nsB,
    ifName: 'eth0',
    address: ipIn(a, 11),
    portMappings: [],
  });
  assert.equal(viaCni.mac, macFromIp(ipIn(a, 11)));
  assert.ok(await ping(nsB, ipIn(a, 10)), 'b reaches a');
  assert.ok(await ping(nsA, ipIn(a, 11)), 'a reaches b');
  const route = await netns(nsA, ['ip', 'route']);
  assert.match(route.stdout, new RegExp(`default via ${a.gateway.replace(/\./g, '\\.')}`));

  const www = join(root, 'www');
  await mkdir(www);
  await writeFile(join(www, 'index.html'), 'hello from a\n');
  const httpd = spawn(
    'nsenter',
    [`--net=${nsA}`, 'busybox', 'httpd', '-f', '-p', '80', '-h', www],
    { stdio: 'ignore' },
  );
  children.push(httpd);
  let body = '';
  for (let i = 0; i < 50 && body === ''; i++) {
    body = await new Promise<string>((resolve) => {
      get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        let s = '';
        res.on('data', (d: Buffer) => (s += d.toString()));
        res.on('end', () => resolve(s));
      }).on('error', () => setTimeout(() => resolve(''), 100));
    });
  }
  assert.equal(body, 'hello from a\n');
  const fromB = await netns(nsB, [
    'timeout',
    '5',
    'busybox',
    'wget',
    '-q',
    '-O',
    '-',
    `http://${ipIn(a, 10)}/`,
  ]);
  assert.equal(fromB.stdout, 'hello from a\n');

  // UDP through a published port on 127.0.0.1
  // (busybox nc here has no -u: a tiny node UDP listener inside the netns instead)
  const listener =
    "require('dgram').createSocket('udp4').on('message', (m) => { process.stdout.write(m); process.exit(0); }).bind(5353)";
  const nc = spawn('nsenter', [`--net=${nsA}`, process.execPath, '-e', listener], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  children.push(nc);
  let got = '';
  nc.stdout?.on('data', (d: Buffer) => (got += d.toString()));
  const sock = createSocket('udp4');
  for (let i = 0; i < 50 && got === ''; i++) {
    sock.send('ping-udp\n', uport, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 100));
  }
  sock.close();
  assert.match(got, /ping-udp/);

  // The same host port again: Docker's message, and nothing is created.
  const veths = (await ourVeths()).length;
  const nsC = await driver.createSandbox(`${tag}-a3`);
  await assert.rejects(
    driver.attach(a, {
      containerId: `${tag}-a3`,
      netnsPath: nsC,
      ifName: 'eth0',
      address: ipIn(a, 12),
      portMappings: [{ hostIp: '127.0.0.1', hostPort: port, containerPort: 80, protocol: 'tcp' }],
    }),
    (e) =>
      isKind(e, 'Conflict') &&
      (e as Error).message === `Bind for 127.0.0.1:${port} failed: port is already allocated`,
  );
  assert.equal((await ourVeths()).length, veths);
  await driver.removeSandbox(`${tag}-a3`);

  await driver.detach(a, `${tag}-a1`, 'eth0');
  await driver.detach(a, `${tag}-a1`, 'eth0'); // idempotent
  const save = await execFile('iptables-save', ['-t', 'nat'], { timeoutMs: 15_000 });
  assert.ok(!save.stdout.includes(`${tag}-a1`), 'port rules gone after detach');
  await driver.settle(); // the veth is released in the background
  assert.ok(!(await ping(nsB, ipIn(a, 10))), 'a is gone from the bridge');
});

test('isolation: two networks cannot reach each other; internal network has no route out', async () => {
  const a = specs[0] ?? net('a');
  const b = net('b');
  const i = net('i', true);
  await driver.ensureNetwork(b);
  await driver.ensureNetwork(i);
  const nsB = await driver.createSandbox(`${tag}-b1`);
  const nsI = await driver.createSandbox(`${tag}-i1`);
  await driver.attach(b, {
    containerId: `${tag}-b1`,
    netnsPath: nsB,
    ifName: 'eth0',
    address: ipIn(b, 5),
    portMappings: [],
  });
  await driver.attach(i, {
    containerId: `${tag}-i1`,
    netnsPath: nsI,
    ifName: 'eth0',
    address: ipIn(i, 5),
    portMappings: [],
  });
  const nsA2 = join(root, 'run', 'netns', `${tag}-a2`);
  assert.ok(await ping(nsB, b.gateway), 'b reaches its gateway');
  assert.ok(!(await ping(nsB, ipIn(a, 11))), 'b cannot reach a container on network a');
  assert.ok(!(await ping(nsA2, ipIn(b, 5))), 'a cannot reach a container on network b');
  assert.ok(await ping(nsI, i.gateway), 'internal reaches its gateway');
  const routes = (await netns(nsI, ['ip', 'route'])).stdout;
  assert.ok(!routes.includes('default'), `no default route on an internal network: ${routes}`);
  assert.ok(!(await ping(nsI, ipIn(a, 11))), 'internal cannot reach network a');
  // A second interface on another network: the sandbox reaches both.
  await driver.attach(a, {
    containerId: `${tag}-b1`,
    netnsPath: nsB,
    ifName: 'eth1',
    address: ipIn(a, 20),
    portMappings: [],
  });
  assert.ok(await ping(nsB, ipIn(a, 11)), 'b1 on both networks reaches a2');
  const both = (await netns(nsB, ['ip', 'route'])).stdout;
  assert.match(both, new RegExp(`^default via ${b.gateway.replace(/\./g, '\\.')} dev eth0`, 'm'));
  assert.match(both, /^default via .* dev eth1 metric 1/m);
});

test('detach + removeSandbox + removeNetwork leave no rule, device, veth or netns behind', async () => {
  // b1 keeps its attachments: removeNetwork must detach them from the persisted state.
  const veths = await ourVeths();
  assert.ok(veths.length >= 4, `veths on the bridges: ${veths.join(' ')}`);
  for (const id of await driver.listSandboxes()) {
    for (const s of specs) await driver.detach(s, id, 'eth0');
    await driver.removeSandbox(id);
  }
  for (const s of specs) await driver.removeNetwork(s);
  for (const s of specs) await driver.removeNetwork(s); // idempotent
  // netns teardown is asynchronous in the kernel; wait (bounded) for the veths to go
  const left = async () => (await Promise.all(veths.map(exists))).filter((x) => x).length;
  for (let n = 0; n < 100 && (await left()) > 0; n++) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(await leaks(root), { rules: 0, links: 0, netns: 0 });
  assert.equal(await left(), 0, 'every veth is gone');
  assert.deepEqual(await readdir(join(root, 'state', 'attachments')), []);
});
