// bench/run-latency: N sequential `run --rm busybox true` through the Engine API, beside the floor
// measured in the same run: bare `runc run` of an equivalent bundle on an overlay mount (mount,
// run, unmount each time). Prints p50/p95 of both and the ratio. Usage: node dist/bench/run-latency.js [N]
// [--network]: with --network, every round runs `--network none` and `--network bridge` (alternating,
// same daemon) and prints the extra cost of networking, then 20 bridge containers run in parallel.
// The daemon always gets a bridge and subnets of its own (never berth0), removed afterwards.
import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, readdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startBenchDaemon } from './bench-daemon.js';
import { execFile } from '../src/lib/exec.js';
import { dockerDefaultSpec, readHostLimits } from '../src/oci/index.js';
import { NetworkDriver, chooseSubnet, hostRoutes } from '../src/drivers/network/index.js';
import { msSince, percentile, row } from './stats.js';

const n = Number(process.argv.slice(2).find((a) => !a.startsWith('-')) ?? 30);
const withNetwork = process.argv.includes('--network');
const tag = randomBytes(3).toString('hex');
const root = `/tmp/bb-${tag}`;
const cgroupParent = `/berth-bench-${tag}`;
const run = (file: string, args: string[], cwd?: string) =>
  execFile(file, args, { timeoutMs: 30_000, ...(cwd ? { cwd } : {}) }).then((r) => {
    if (r.code !== 0) throw new Error(`${file} ${args.join(' ')}: ${r.stderr}`);
    return r;
  });

/** A lower dir equivalent to the busybox image: the binary, the applets `true` and `sh`. */
async function makeLower(dir: string): Promise<void> {
  for (const d of ['bin', 'etc', 'dev', 'proc', 'sys', 'tmp'])
    await mkdir(join(dir, d), { recursive: true });
  await copyFile('/bin/busybox', join(dir, 'bin/busybox'));
  for (const a of ['true', 'sh']) await link(join(dir, 'bin/busybox'), join(dir, 'bin', a));
  await writeFile(join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  for (const f of ['hostname', 'hosts', 'resolv.conf']) await writeFile(join(dir, 'etc', f), '');
}

async function floor(): Promise<number[]> {
  const lower = join(root, 'lower');
  await makeLower(lower);
  const bundle = join(root, 'bundle');
  const merged = join(bundle, 'rootfs');
  await mkdir(merged, { recursive: true });
  const spec = dockerDefaultSpec({
    id: 'floor',
    rootfs: merged,
    args: ['true'],
    env: [],
    cwd: '/',
    user: { uid: 0, gid: 0 },
    hostname: 'floor',
    tty: false,
    cgroupParent,
    networkNamespace: 'none-new',
    mounts: [],
    shmSize: 64 * 1024 * 1024,
    hostLimits: readHostLimits(),
    kernel: { major: 6, minor: 1 },
  });
  await writeFile(join(bundle, 'config.json'), JSON.stringify(spec));
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const upper = join(root, `u${i}`);
    await mkdir(join(upper, 'diff'), { recursive: true });
    await mkdir(join(upper, 'work'));
    const t = process.hrtime.bigint();
    await run('mount', [
      '-t',
      'overlay',
      'overlay',
      '-o',
      `lowerdir=${lower},upperdir=${upper}/diff,workdir=${upper}/work`,
      merged,
    ]);
    await run('runc', ['--root', join(root, 'runc'), 'run', '--bundle', bundle, `floor-${i}`]);
    await run('umount', [merged]);
    times.push(msSince(t));
    await rm(upper, { recursive: true, force: true });
  }
  return times;
}

const bridge = `bb${tag}`;

/** berthd flags giving the bench daemon its own bridge, subnet and pool (free on this host). */
async function networkArgs(): Promise<string[]> {
  const routes = await hostRoutes();
  const r = parseInt(tag.slice(0, 2), 16) % 40;
  const bip = chooseSubnet([`base=10.${100 + r}.0.0/16,size=24`], routes);
  const pool = chooseSubnet([`base=10.${140 + r}.0.0/16,size=16`], routes);
  const gw = bip.replace(/0\/24$/, '1/24');
  return [
    '--bridge',
    bridge,
    '--bip',
    gw,
    '--default-address-pool',
    `base=${pool},size=24`,
    '--dns-upstream',
    '127.0.0.1:9',
  ];
}

/** Removes the bench daemon's bridge and its rules (the daemon keeps them for its next boot). */
async function removeBridge(): Promise<void> {
  const d = new NetworkDriver({
    stateDir: join(root, 'data', 'network'),
    runDir: join(root, 'run'),
    log: () => undefined,
  });
  const spec = {
    id: bridge,
    name: bridge,
    bridge,
    subnet: '10.0.0.0/24',
    gateway: '10.0.0.1',
    internal: false,
    icc: true,
  };
  await d
    .removeNetwork(spec)
    .catch((e: unknown) => console.error(`removing ${bridge}: ${String(e)}`));
}

async function berth(): Promise<Record<string, number[]>> {
  const daemon = await startBenchDaemon(root, cgroupParent, await networkArgs());
  const { client } = daemon;
  try {
    const once = async (mode = 'none'): Promise<void> => {
      const { Id } = await client.containerCreate({
        Image: 'busybox',
        Cmd: ['true'],
        HostConfig: { AutoRemove: true, NetworkMode: mode },
      });
      const w = await client.containerWait(Id, 'removed');
      await client.containerStart(Id);
      const r = await w.result;
      if (r.StatusCode !== 0) throw new Error(`exit ${r.StatusCode}`);
    };
    const modes = withNetwork ? ['none', 'bridge'] : ['none'];
    for (const m of modes) await once(m); // warm-up: first-use costs (validator compile, page cache)
    const times: Record<string, number[]> = {};
    for (let i = 0; i < n; i++)
      for (const m of modes) {
        const t = process.hrtime.bigint();
        await once(m);
        (times[m] ??= []).push(msSince(t));
      }
    if (withNetwork) {
      const t = process.hrtime.bigint();
      await Promise.all(Array.from({ length: 20 }, () => once('bridge')));
      times['parallel'] = [msSince(t)];
    }
    return times;
  } finally {
    await daemon.stop();
    await removeBridge();
  }
}

async function main(): Promise<void> {
  await mkdir(root, { recursive: true });
  try {
    const f = await floor();
    const all = await berth();
    const b = all['none'] ?? [];
    console.log(`run --rm busybox true, ${n} sequential runs`);
    console.log(row('floor: mount overlay + runc run + umount', f));
    console.log(row('berth: create + wait(removed) + start via API', b));
    const br = all['bridge'];
    if (br !== undefined) {
      console.log(row('berth: the same with --network bridge', br));
      const extra = percentile(br, 50) - percentile(b, 50);
      console.log(
        `extra cost of networking (p50 bridge - p50 none): ${extra.toFixed(1)} ms (target <= ~70 ms)`,
      );
      console.log(
        `20 x run --rm --network bridge in parallel: ${(all['parallel']?.[0] ?? NaN).toFixed(0)} ms wall`,
      );
    }
    console.log(
      `ratio berth/floor: p50 ${(percentile(b, 50) / percentile(f, 50)).toFixed(2)}x   p95 ${(percentile(b, 95) / percentile(f, 95)).toFixed(2)}x`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
    for (const h of await readdir('/sys/fs/cgroup').catch(() => [] as string[])) {
      await rmdir(join('/sys/fs/cgroup', h, cgroupParent)).catch(() => undefined);
    }
  }
}

await main();
