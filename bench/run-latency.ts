// bench/run-latency: N sequential `run --rm busybox true` through the Engine API, beside the floor
// measured in the same run: bare `runc run` of an equivalent bundle on an overlay mount (mount,
// run, unmount each time). Prints p50/p95 of both and the ratio. Usage: node dist/bench/run-latency.js [N]
import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, readdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startBenchDaemon } from './bench-daemon.js';
import { execFile } from '../src/lib/exec.js';
import { dockerDefaultSpec, readHostLimits } from '../src/oci/index.js';
import { msSince, percentile, row } from './stats.js';

const n = Number(process.argv[2] ?? 30);
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

async function berth(): Promise<number[]> {
  const daemon = await startBenchDaemon(root, cgroupParent);
  const { client } = daemon;
  try {
    const once = async (): Promise<void> => {
      const { Id } = await client.containerCreate({
        Image: 'busybox',
        Cmd: ['true'],
        HostConfig: { AutoRemove: true, NetworkMode: 'none' },
      });
      const w = await client.containerWait(Id, 'removed');
      await client.containerStart(Id);
      const r = await w.result;
      if (r.StatusCode !== 0) throw new Error(`exit ${r.StatusCode}`);
    };
    await once(); // warm-up: first-use costs (validator compile, page cache)
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = process.hrtime.bigint();
      await once();
      times.push(msSince(t));
    }
    return times;
  } finally {
    await daemon.stop();
  }
}

async function main(): Promise<void> {
  await mkdir(root, { recursive: true });
  try {
    const f = await floor();
    const b = await berth();
    console.log(`run --rm busybox true, ${n} sequential runs`);
    console.log(row('floor: mount overlay + runc run + umount', f));
    console.log(row('berth: create + wait(removed) + start via API', b));
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
