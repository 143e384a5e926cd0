import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, rmdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BerthClient } from '../../src/client/index.js';
import { execFile } from '../../src/lib/exec.js';
import { NetworkDriver } from '../../src/drivers/network/index.js';
import { openMetadataDb } from '../../src/store/metadata/database.js';
import { NetworksRepository } from '../../src/store/metadata/networks-repository.js';

/** The repository root (tests run from dist/test/...). */
export const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..');
/** The build these tests run from (dist/ or an engineer's own out dir): its berthd and berth. */
const distRoot = resolve(fileURLToPath(import.meta.url), '../../..');
const berthd = join(distRoot, 'bin/berthd.js');
export const berthCli = join(distRoot, 'bin/berth.js');

/** A real berthd of a test file's own: data root, exec root, socket and cgroup parent. */
export interface TestDaemon {
  socket: string;
  host: string;
  dataRoot: string;
  execRoot: string;
  cgroupParent: string;
  client: BerthClient;
  /** Everything berthd printed so far. */
  output(): string;
  /** Stops the daemon (SIGTERM) and waits for it; containers keep running. */
  stop(): Promise<void>;
  /** Kills the daemon with SIGKILL (a crash) and waits for it; containers keep running. */
  kill(): Promise<void>;
  /** Starts it again on the same roots (a daemon restart). */
  restart(): Promise<void>;
  /** Removes every container, stops the daemon and deletes all it created on the host. */
  cleanup(): Promise<void>;
}

async function waitForPing(
  client: BerthClient,
  proc: ChildProcess,
  out: () => string,
): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`berthd exited with ${proc.exitCode}:\n${out()}`);
    try {
      await client.ping();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`berthd did not answer /_ping:\n${out()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * Starts a berthd for one test file. Call `cleanup()` in an `after` hook. `extraArgs` are added
 * to berthd's command line (e.g. a `-H tcp://…` with TLS flags, `--userns-remap`).
 */
export async function startTestDaemon(opts: { extraArgs?: string[] } = {}): Promise<TestDaemon> {
  const tag = randomBytes(3).toString('hex');
  const root = `/tmp/bt-${tag}`; // short: conmon's attach socket path must fit in 108 bytes
  const dataRoot = join(root, 'data');
  const execRoot = join(root, 'run');
  const socket = join(root, 'berth.sock');
  const cgroupParent = `/berth-test-${tag}`;
  const net = testNetworkArgs(tag);
  await mkdir(root, { recursive: true });
  let log = '';
  let proc!: ChildProcess;
  const client = new BerthClient({ socketPath: socket });
  const launch = async (): Promise<void> => {
    proc = spawn(
      process.execPath,
      [
        berthd,
        '-H',
        `unix://${socket}`,
        '--data-root',
        dataRoot,
        '--exec-root',
        execRoot,
        '--cgroup-parent',
        cgroupParent,
        ...net.args,
        ...(opts.extraArgs ?? []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc.stdout?.on('data', (b: Buffer) => (log += b.toString()));
    proc.stderr?.on('data', (b: Buffer) => (log += b.toString()));
    await waitForPing(client, proc, () => log);
  };
  const stop = async (): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    socket,
    host: `unix://${socket}`,
    dataRoot,
    execRoot,
    cgroupParent,
    client,
    output: () => log,
    stop,
    kill: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
    },
    restart: async () => {
      await stop();
      await launch();
    },
    cleanup: async () => {
      try {
        if (proc.exitCode === null) {
          for (const c of await client.containerList({ all: true })) {
            await client.containerRemove(c.Id ?? '', { force: true }).catch(() => undefined);
          }
        }
      } finally {
        if (proc.exitCode === null) await client.networks.prune().catch(() => undefined);
        client.close();
        await stop();
        await cleanupNetworks(dataRoot, execRoot);
        await cleanupHost(root, cgroupParent);
      }
    },
  };
}

/**
 * Per-daemon network flags, so test files run in parallel: a bridge `bt<tag>`, a /24 for it in
 * 10.200-224.x and a /16 pool in 10.225-249 derived from the tag (clear of the benchmarks'
 * 10.100-179), and an upstream resolver on which nothing listens (no query leaves the machine).
 */
function testNetworkArgs(tag: string): { args: string[] } {
  const b = [0, 2, 4].map((i) => parseInt(tag.slice(i, i + 2), 16));
  const [b0 = 0, b1 = 0, b2 = 0] = b;
  return {
    args: [
      '--bridge',
      `bt${tag}`,
      '--bip',
      `10.${200 + (b0 % 25)}.${b1}.1/24`,
      '--default-address-pool',
      `base=10.${225 + (b2 % 25)}.0.0/16,size=24`,
      '--dns-upstream',
      '127.0.0.1:9',
    ],
  };
}

/**
 * Removes what a stopped test daemon's networks left on the host, even when the daemon died:
 * every bridge network in its database (the default bridge included) with its iptables rules,
 * through the driver, which knows exactly its own rules; and any sandbox.
 */
async function cleanupNetworks(dataRoot: string, execRoot: string): Promise<void> {
  // A --userns-remap daemon keeps its state under <data-root>/<uid>.<gid>/.
  const remapped = (await readdir(dataRoot).catch(() => [] as string[])).filter((d) =>
    /^\d+\.\d+$/.test(d),
  );
  for (const root of [dataRoot, ...remapped.map((d) => join(dataRoot, d))]) {
    await cleanupNetworksOf(root, execRoot);
  }
}

async function cleanupNetworksOf(dataRoot: string, execRoot: string): Promise<void> {
  const driver = new NetworkDriver({
    stateDir: join(dataRoot, 'network'),
    runDir: execRoot,
    log: () => undefined,
  });
  for (const id of await driver.listSandboxes().catch(() => [] as string[]))
    await driver.removeSandbox(id).catch(() => undefined);
  const dbPath = join(dataRoot, 'berth.db');
  if (!existsSync(dbPath)) return;
  const db = openMetadataDb(dbPath);
  try {
    const repo = new NetworksRepository<Record<string, unknown>, unknown>(db);
    for (const n of repo.all()) {
      const c = n.config as { bridge?: string; subnet?: string; gateway?: string };
      if (n.driver !== 'bridge' || !c.bridge) continue;
      const spec = { id: n.id, name: n.name, bridge: c.bridge, internal: false, icc: true };
      await driver
        .removeNetwork({ ...spec, subnet: c.subnet ?? '', gateway: c.gateway ?? '' })
        .catch(() => undefined);
    }
  } finally {
    db.close();
  }
}

/** Unmounts whatever is still mounted under `root`, deletes it, and removes the cgroup parent. */
async function cleanupHost(root: string, cgroupParent: string): Promise<void> {
  const mounts = (await readFile('/proc/self/mounts', 'utf8'))
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(`${root}/`))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) await execFile('umount', ['-l', m], { timeoutMs: 10_000 });
  await rm(root, { recursive: true, force: true });
  const hierarchies = await readdir('/sys/fs/cgroup').catch(() => [] as string[]);
  for (const h of hierarchies) {
    const dir = join('/sys/fs/cgroup', h, cgroupParent);
    const children = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const c of children) if (c.isDirectory()) await rmdirRetrying(join(dir, c.name));
    await rmdirRetrying(dir);
  }
}

/** A cgroup whose last process is still exiting is busy for a moment: retry for up to 3 s. */
async function rmdirRetrying(dir: string): Promise<void> {
  for (let i = 0; i < 30; i++) {
    try {
      await rmdir(dir);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EBUSY') return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Runs the docker CLI against a test daemon; never throws for a non-zero exit. `env` adds to the
 * environment (e.g. `DOCKER_BUILDKIT: '0'` for the classic builder).
 */
export function docker(
  d: TestDaemon,
  args: string[],
  opts: { input?: string; timeoutMs?: number; env?: Record<string, string> } = {},
) {
  return execFile('docker', args, {
    timeoutMs: opts.timeoutMs ?? 60_000,
    env: {
      ...process.env,
      DOCKER_HOST: d.host,
      DOCKER_CONFIG: join(d.dataRoot, '..', 'docker-config'),
      ...opts.env,
    },
    ...(opts.input !== undefined ? { input: opts.input } : {}),
  });
}

/** Runs the docker CLI against a test daemon, failing the test unless it succeeded; its stdout. */
export async function dockerOk(
  d: TestDaemon,
  args: string[],
  opts: { input?: string; timeoutMs?: number } = {},
): Promise<string> {
  const r = await docker(d, args, opts);
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Runs the berth CLI against a test daemon; never throws for a non-zero exit. */
export function berth(
  d: TestDaemon,
  args: string[],
  opts: { input?: string; timeoutMs?: number } = {},
) {
  return execFile(process.execPath, [berthCli, '-H', d.host, ...args], {
    timeoutMs: opts.timeoutMs ?? 60_000,
    ...(opts.input !== undefined ? { input: opts.input } : {}),
  });
}
