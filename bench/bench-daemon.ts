import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { BerthClient } from '../src/client/index.js';
import { NetworkDriver, chooseSubnet, hostRoutes } from '../src/drivers/network/index.js';

const berthd = fileURLToPath(new URL('../bin/berthd.js', import.meta.url));

/** A berthd of a benchmark's own, under `root` with its own cgroup parent. */
export interface BenchDaemon {
  client: BerthClient;
  process: ChildProcess;
  /** Resident set size of berthd now, in bytes (from /proc). */
  rss(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A bridge, subnet and address pool of this daemon's own (free on this host), and the removal of
 * that bridge and its rules: without them every bench daemon (a fresh data root each time) added
 * one more /24 to the shared default bridge `berth0` and left it there.
 */
async function ownNetwork(root: string): Promise<{ args: string[]; remove: () => Promise<void> }> {
  const tag = randomBytes(3).toString('hex');
  const bridge = `bd${tag}`;
  const routes = await hostRoutes();
  const r = parseInt(tag.slice(0, 2), 16) % 40;
  const bip = chooseSubnet([`base=10.${100 + r}.0.0/16,size=24`], routes);
  const pool = chooseSubnet([`base=10.${140 + r}.0.0/16,size=16`], routes);
  const args = ['--bridge', bridge, '--bip', bip.replace(/0\/24$/, '1/24')];
  args.push('--default-address-pool', `base=${pool},size=24`, '--dns-upstream', '127.0.0.1:9');
  const remove = async (): Promise<void> => {
    const d = new NetworkDriver({
      stateDir: join(root, 'data', 'network'),
      runDir: join(root, 'run'),
      log: () => undefined,
    });
    const spec = { id: bridge, name: bridge, bridge, internal: false, icc: true };
    await d
      .removeNetwork({ ...spec, subnet: '10.0.0.0/24', gateway: '10.0.0.1' })
      .catch((e: unknown) => console.error(`removing ${bridge}: ${String(e)}`));
  };
  return { args, remove };
}

/**
 * `extraArgs` are appended to berthd's flags (e.g. a bridge and subnets of the benchmark's own;
 * without a `--bridge` among them the daemon gets a bridge of its own, removed by stop()).
 */
export async function startBenchDaemon(
  root: string,
  cgroupParent: string,
  extraArgs: string[] = [],
): Promise<BenchDaemon> {
  const socket = join(root, 'b.sock');
  const net = extraArgs.includes('--bridge') ? undefined : await ownNetwork(root);
  const proc = spawn(
    process.execPath,
    [
      // BENCH_NODE_ARGS: extra node flags for berthd, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
      ...(process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== ''),
      berthd,
      '-H',
      `unix://${socket}`,
      '--data-root',
      join(root, 'data'),
      '--exec-root',
      join(root, 'run'),
      '--cgroup-parent',
      cgroupParent,
      ...(net?.args ?? []),
      ...extraArgs,
    ],
    { stdio: process.env['BENCH_DAEMON_STDIO'] === 'inherit' ? 'inherit' : 'ignore' },
  );
  const client = new BerthClient({ socketPath: socket });
  for (let i = 0; ; i++) {
    try {
      await client.ping();
      break;
    } catch {
      if (i > 400) throw new Error('berthd did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    client,
    process: proc,
    rss: async () => {
      const { readFile } = await import('node:fs/promises');
      const status = await readFile(`/proc/${proc.pid}/status`, 'utf8');
      return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
    },
    stop: async () => {
      client.close();
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      await net?.remove();
      for (const h of await readdir('/sys/fs/cgroup').catch(() => [] as string[])) {
        await rmdir(join('/sys/fs/cgroup', h, cgroupParent)).catch(() => undefined);
      }
    },
  };
}
