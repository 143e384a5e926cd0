import { execFile } from '../../lib/exec.js';
import { newId } from '../../lib/ids.js';
import { rfc3339Nano } from '../../lib/time.js';
import { chooseSubnet, hostRoutes } from '../../drivers/network/index.js';
import { firstHost, formatCidr, numberToIp, overlaps, parseCidr, parseCidrLoose } from './cidr.js';
import type { NetworksContext } from './context.js';
import { startDns } from './dns.js';
import { tearDownContainer } from './setup.js';
import type { Network, NetworkConfig } from './types.js';

const emptyConfig = (): NetworkConfig => ({
  bridge: '',
  subnet: '',
  gateway: '',
  ipRange: null,
  internal: false,
  attachable: false,
  icc: true,
  labels: {},
  options: {},
  userIpam: false,
});

/**
 * The default bridge's subnet and gateway: `--bip` when given (its host bits name the gateway),
 * else the stored one while no host route collides with it, else a free one from the pools.
 */
async function bridgeAddressing(
  ctx: NetworksContext,
  stored: Network | undefined,
): Promise<{ subnet: string; gateway: string }> {
  const { bip, pools } = ctx.deps.defaults;
  if (bip) {
    const { ip } = parseCidrLoose(bip, '--bip');
    const subnet = parseCidr(bip, '--bip');
    return {
      subnet: formatCidr(subnet),
      gateway: ip === subnet.base ? firstHost(subnet) : numberToIp(ip),
    };
  }
  const others = ctx.deps.repo.all().filter((n) => n.name !== 'bridge' && n.config.subnet !== '');
  // A bridge device that already exists keeps its address (as Docker does): another daemon, or
  // an earlier data root, may share it, and a second subnet on one bridge would only pile up.
  const existing = await bridgeAddresses(ctx.deps.defaults.bridge);
  const first = existing[0];
  if (first) {
    const subnet = formatCidr(parseCidr(first, 'bridge address'));
    return { subnet, gateway: first.split('/')[0] ?? firstHost(parseCidr(subnet, 's')) };
  }
  const routes = await hostRoutes().catch(() => [] as string[]);
  if (stored?.config.subnet) {
    const mine = parseCidr(stored.config.subnet, 'subnet');
    const foreign = routes.filter((r) => r !== stored.config.subnet);
    const clash = [...foreign, ...others.map((n) => n.config.subnet)].some((r) => {
      try {
        const c = parseCidr(r, 'route');
        return c.prefix > 0 && overlaps(c, mine);
      } catch {
        return false;
      }
    });
    if (!clash) return { subnet: stored.config.subnet, gateway: stored.config.gateway };
  }
  const subnet = chooseSubnet(pools, [...routes, ...others.map((n) => n.config.subnet)]);
  return { subnet, gateway: firstHost(parseCidr(subnet, 'subnet')) };
}

/** The IPv4 addresses (CIDR, host bits kept) on a bridge device; [] when it does not exist. */
async function bridgeAddresses(device: string): Promise<string[]> {
  const r = await execFile('ip', ['-4', '-o', 'addr', 'show', 'dev', device], { timeoutMs: 5000 });
  if (r.code !== 0) return [];
  return [...r.stdout.matchAll(/\binet (\d+\.\d+\.\d+\.\d+\/\d+)/g)].map((m) => m[1] ?? '');
}

/** Creates the rows of `bridge`, `host` and `none` on first boot; updates the bridge's addressing. */
async function ensurePredefined(ctx: NetworksContext): Promise<void> {
  const { repo } = ctx.deps;
  for (const [name, driver] of [
    ['host', 'host'],
    ['none', 'null'],
  ] as const)
    if (!repo.byName(name))
      repo.insert({ id: newId(), name, driver, createdAt: rfc3339Nano(), config: emptyConfig() });
  const stored = repo.byName('bridge');
  const addr = await bridgeAddressing(ctx, stored);
  const config: NetworkConfig = {
    ...emptyConfig(),
    ...stored?.config,
    bridge: ctx.deps.defaults.bridge,
    ...addr,
    options: {
      'com.docker.network.bridge.default_bridge': 'true',
      'com.docker.network.bridge.name': ctx.deps.defaults.bridge,
    },
  };
  if (!stored)
    repo.insert({
      id: newId(),
      name: 'bridge',
      driver: 'bridge',
      createdAt: rfc3339Nano(),
      config,
    });
  else repo.updateConfig(stored.id, config);
}

/**
 * Boot step 1 (before containers are reconciled or restarted): the predefined networks, every
 * bridge network built again (idempotent: a reboot loses bridges and rules), embedded DNS.
 */
export async function bootNetworks(ctx: NetworksContext): Promise<void> {
  await ensurePredefined(ctx);
  for (const n of ctx.deps.repo.all()) {
    if (n.driver !== 'bridge') continue;
    await ctx.deps.driver
      .ensureNetwork(ctx.spec(n))
      .catch((e: unknown) => ctx.deps.log(`network ${n.name}: ${String(e)}`));
    await startDns(ctx, n);
  }
}

/**
 * Boot step 2 (after containers were reconciled): tears down the network of every container
 * that is not running any more (a crash or a reboot while it ran), and removes sandboxes the
 * driver still has for containers Berth does not run.
 */
export async function sweepNetworks(ctx: NetworksContext): Promise<void> {
  const { repo, driver, log } = ctx.deps;
  const running = (id: string): boolean => ctx.containers.peek(id)?.running === true;
  // A policy restart may be starting a container meanwhile: decide under its lock, so a sandbox
  // that start is creating is never swept away (a removed container has no lock to take).
  const unlessRunning = async (id: string, fn: () => Promise<void>): Promise<void> => {
    if (ctx.containers.peek(id) === undefined) return fn();
    await ctx.containers
      .withLock(id, async (c) => (c.running ? undefined : fn()))
      .catch((e: unknown) => log(`network sweep of ${id}: ${String(e)}`));
  };
  const stale = new Set<string>();
  for (const s of repo.sandboxes()) if (!running(s.containerId)) stale.add(s.containerId);
  for (const n of repo.all())
    for (const e of repo.endpointsIn(n.id))
      if ((e.address !== null || e.ifName !== null) && !running(e.containerId))
        stale.add(e.containerId);
  for (const id of stale) await unlessRunning(id, () => tearDownContainer(ctx, id));
  for (const id of await driver.listSandboxes().catch(() => [] as string[]))
    if (!running(id))
      await unlessRunning(id, () =>
        driver.removeSandbox(id).catch((e: unknown) => log(`remove sandbox ${id}: ${String(e)}`)),
      );
}
