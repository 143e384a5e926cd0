// bench/build: a 10-step Dockerfile (FROM busybox, RUNs, a 10 MB COPY, ENV, CMD) built cold, then
// rebuilt fully cached N times, beside the floor named by issue 8: `berth image inspect` of the
// result (both through the berth CLI, so both pay the CLI's start-up). Target: cached rebuild p50
// at most 2x the inspect p50. Usage: node dist/bench/build.js [N]
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchDaemon } from './bench-daemon.js';
import { execFile } from '../src/lib/exec.js';
import { msSince, percentile, row } from './stats.js';

const n = Number(process.argv[2] ?? 10);
const tag = randomBytes(3).toString('hex');
const root = `/tmp/bbd-${tag}`;
const cgroupParent = `/berth-bench-${tag}`;
const berthCli = fileURLToPath(new URL('../bin/berth.js', import.meta.url));
const socket = join(root, 'b.sock');

const dockerfile = [
  'FROM busybox',
  'RUN echo one > /one',
  'RUN mkdir -p /app && echo two > /app/two',
  'COPY big.bin /app/big.bin',
  'ENV APP_HOME=/app MODE=bench',
  'WORKDIR /app',
  'RUN ls -l big.bin > listing',
  'LABEL bench=build',
  'EXPOSE 8080',
  'CMD ["cat", "/app/listing"]',
].join('\n');

/** Runs the berth CLI against the bench daemon; fails on a non-zero exit. */
async function berth(args: string[]): Promise<string> {
  const r = await execFile(process.execPath, [berthCli, '-H', `unix://${socket}`, ...args], {
    timeoutMs: 300_000,
  });
  if (r.code !== 0) throw new Error(`berth ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Times `fn` once, in milliseconds. */
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return msSince(t);
}

async function main(): Promise<void> {
  const ctx = join(root, 'ctx');
  await mkdir(ctx, { recursive: true });
  await writeFile(join(ctx, 'Dockerfile'), `${dockerfile}\n`);
  await writeFile(join(ctx, 'big.bin'), randomBytes(10 * 1024 * 1024));
  const daemon = await startBenchDaemon(root, cgroupParent);
  try {
    const build = (): Promise<string> => berth(['build', '-t', 'bench:build', ctx]);
    const cold = await timed(build);
    let out = '';
    await timed(async () => (out = await build())); // warm-up (page cache, validator compile)
    const hits = out.split('\n').filter((l) => l === ' ---> Using cache').length;
    if (hits !== 9) throw new Error(`expected 9 cache hits, got ${hits}:\n${out}`);
    const cached: number[] = [];
    const inspect: number[] = [];
    for (let i = 0; i < n; i++) {
      cached.push(await timed(build));
      inspect.push(await timed(() => berth(['image', 'inspect', 'bench:build'])));
    }
    const api: number[] = [];
    for (let i = 0; i < n; i++)
      api.push(await timed(() => daemon.client.imageInspect('bench:build')));
    console.log(`build of a 10-step Dockerfile with a 10 MB COPY, ${n} cached rebuilds`);
    console.log(`cold build (berth build, first time)                ${cold.toFixed(0)} ms`);
    console.log(row('cached rebuild (berth build, 9 cache hits)', cached));
    console.log(row('floor: berth image inspect of the result', inspect));
    console.log(row('(for scale: GET /images/{name}/json via API)', api));
    const ratio = percentile(cached, 50) / percentile(inspect, 50);
    console.log(`ratio cached rebuild / inspect: p50 ${ratio.toFixed(2)}x (target <= 2x)`);
  } finally {
    await daemon.stop();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
