// bench/net-attach: the cost of networking one container, step by step (p50/p95 per step), for
//  - "plugins": the plain CNI way (LOWLEVEL §5): loopback, then bridge (ipMasq, isGateway) →
//    [portmap] → firewall, DEL in reverse with the cached result — the figures before engineering;
//  - "driver": NetworkDriver as berthd uses it (createSandbox, attach, detach, removeSandbox), with
//    its veths made by `ip` batches (the default) and by the CNI bridge plugin (veth: 'cni');
// each without and with one published port, then 20 sandboxes attached in parallel on one bridge
// (wall time). Usage: node dist/bench/net-attach.js [N]. Root only; touches only its own bridge,
// netns and the rules it creates (the CNI plugins' shared chains are removed only when empty).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  NetworkDriver,
  chooseSubnet,
  hostRoutes,
  type BridgeNetworkSpec,
} from '../src/drivers/network/index.js';
import {
  addChain,
  delChain,
  runPlugin,
  type PluginConfig,
} from '../src/drivers/network/cni-plugin.js';
import { removeEmptyCniChains } from './net-cni-cleanup.js';
import { msSince, row } from './stats.js';

const n = Number(process.argv[2] ?? 20);
const tag = randomBytes(3).toString('hex');
const cniPath = '/usr/lib/cni';
type Steps = Record<string, number[]>;

async function timed<T>(steps: Steps, name: string, f: () => Promise<T>): Promise<T> {
  const t = process.hrtime.bigint();
  const v = await f();
  (steps[name] ??= []).push(msSince(t));
  return v;
}

function print(title: string, steps: Steps): void {
  console.log(title);
  const total: number[] = [];
  for (const [name, v] of Object.entries(steps)) {
    console.log(row(`  ${name}`, v));
    v.forEach((x, i) => (total[i] = (total[i] ?? 0) + x));
  }
  console.log(row('  total', total));
}

const ipOf = (spec: BridgeNetworkSpec, i: number) => spec.subnet.replace(/0\/24$/, String(10 + i));

/** The plugin chain as a plain CNI runtime would run it. */
function chain(spec: BridgeNetworkSpec, ip: string, port: number | null): PluginConfig[] {
  const base = { cniVersion: '1.0.0', name: `bench-${tag}` };
  const c: PluginConfig[] = [
    {
      ...base,
      type: 'bridge',
      bridge: spec.bridge,
      isGateway: true,
      ipMasq: true,
      hairpinMode: true,
      ipam: {
        type: 'static',
        addresses: [{ address: `${ip}/24`, gateway: spec.gateway }],
        routes: [{ dst: '0.0.0.0/0' }],
      },
    },
  ];
  if (port !== null)
    c.push({
      ...base,
      type: 'portmap',
      capabilities: { portMappings: true },
      snat: true,
      runtimeConfig: { portMappings: [{ hostPort: port, containerPort: 80, protocol: 'tcp' }] },
    });
  c.push({ ...base, type: 'firewall', backend: 'iptables' });
  return c;
}

async function plugins(
  d: NetworkDriver,
  spec: BridgeNetworkSpec,
  withPort: boolean,
): Promise<Steps> {
  const steps: Steps = {};
  for (let i = -1; i < n; i++) {
    const s: Steps = i < 0 ? {} : steps; // round -1 warms up (creates the plugins' chains)
    const id = `${tag}-p${i + 1}`;
    const ns = await timed(s, 'netns create', () => d.createSandbox(id));
    const inv = { containerId: id, netns: ns, cniPath };
    const lo: PluginConfig = { cniVersion: '1.0.0', name: 'lo', type: 'loopback' };
    await timed(s, 'ADD loopback', () => runPlugin(lo, { ...inv, ifName: 'lo', command: 'ADD' }));
    const c = chain(spec, ipOf(spec, i + 1), withPort ? await d.randomHostPort('tcp') : null);
    const res = await timed(s, `ADD ${c.map((p) => p.type).join('+')}`, () =>
      addChain(c, { ...inv, ifName: 'eth0' }),
    );
    await timed(s, 'DEL (reverse, cached result)', () =>
      delChain(c, res, { ...inv, ifName: 'eth0' }),
    );
    await timed(s, 'DEL loopback', () => runPlugin(lo, { ...inv, ifName: 'lo', command: 'DEL' }));
    await timed(s, 'netns remove', () => d.removeSandbox(id));
  }
  return steps;
}

/** Rounds of the driver's per-container steps; with several drivers they alternate each round. */
async function driver(
  ds: NetworkDriver[],
  spec: BridgeNetworkSpec,
  withPort: boolean,
): Promise<Steps[]> {
  const all: Steps[] = ds.map(() => ({}));
  for (let i = -1; i < n; i++)
    for (const [k, d] of ds.entries()) {
      const s: Steps = i < 0 ? {} : (all[k] as Steps);
      const id = `${tag}-d${k}-${i + 1}`;
      const ns = await timed(s, 'createSandbox', () => d.createSandbox(id));
      const hostPort = withPort ? await d.randomHostPort('tcp') : 0;
      const portMappings = withPort
        ? [{ hostIp: '', hostPort, containerPort: 80, protocol: 'tcp' as const }]
        : [];
      const address = ipOf(spec, 1 + k * 40 + i);
      const req = { containerId: id, netnsPath: ns, ifName: 'eth0', address, portMappings };
      await timed(s, 'attach', () => d.attach(spec, req));
      await timed(s, 'detach', () => d.detach(spec, id, 'eth0'));
      await timed(s, 'removeSandbox', () => d.removeSandbox(id));
    }
  return all;
}

async function parallel(d: NetworkDriver, spec: BridgeNetworkSpec): Promise<void> {
  const ids = Array.from({ length: 20 }, (_, i) => `${tag}-q${i}`);
  let t = process.hrtime.bigint();
  await Promise.all(
    ids.map(async (id, i) => {
      const ns = await d.createSandbox(id);
      await d.attach(spec, {
        containerId: id,
        netnsPath: ns,
        ifName: 'eth0',
        address: ipOf(spec, 100 + i),
        portMappings: [],
      });
    }),
  );
  console.log(
    `20 sandboxes created + attached in parallel on one bridge: ${msSince(t).toFixed(1)} ms wall`,
  );
  t = process.hrtime.bigint();
  await Promise.all(
    ids.map(async (id) => (await d.detach(spec, id, 'eth0'), await d.removeSandbox(id))),
  );
  console.log(`20 detached + removed in parallel: ${msSince(t).toFixed(1)} ms wall`);
}

async function main(): Promise<void> {
  const root = await mkdtemp(`/tmp/bnb${tag}-`);
  const d = new NetworkDriver({
    stateDir: join(root, 's'),
    runDir: join(root, 'r'),
    log: () => undefined,
  });
  const dCni = new NetworkDriver({
    stateDir: join(root, 's'),
    runDir: join(root, 'r'),
    log: () => undefined,
    veth: 'cni',
  });
  const r = 16 + (parseInt(tag.slice(0, 2), 16) % 200);
  const subnet = chooseSubnet([`base=10.${r}.0.0/16,size=24`], await hostRoutes());
  const spec: BridgeNetworkSpec = {
    id: tag,
    name: `bench-${tag}`,
    bridge: `bnb${tag}`,
    subnet,
    gateway: subnet.replace(/0\/24$/, '1'),
    internal: false,
    icc: true,
  };
  try {
    const t = process.hrtime.bigint();
    await d.ensureNetwork(spec);
    console.log(
      `ensureNetwork (once per network): ${msSince(t).toFixed(1)} ms; ${n} rounds each below`,
    );
    print('plugins, no ports (before)', await plugins(d, spec, false));
    const [byIp, byCni] = await driver([d, dCni], spec, false);
    print('driver, no ports, veth by ip (after)', byIp ?? {});
    print('driver, no ports, veth by CNI bridge plugin (alternating)', byCni ?? {});
    print('plugins, one published port (before)', await plugins(d, spec, true));
    print('driver, one published port (after)', (await driver([d], spec, true))[0] ?? {});
    await d.settle();
    await parallel(d, spec);
  } finally {
    for (const id of await d.listSandboxes()) await d.removeSandbox(id);
    await d.removeNetwork(spec);
    await removeEmptyCniChains();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
