// bench/cp: `docker cp` of a tree of many small files into and out of a running container,
// each beside the floor `tar -c | tar -x` of the same tree on the host, as ratios (target ≤ 1.5).
// Two more rows split the figure: the docker CLI alone (the same copies against a stub engine
// that does no work, bench/cli-stub.ts: what the client costs by itself) and `berth cp` (our own
// client against the same berthd).
// Usage: node dist/bench/cp.js [files, default 20000] [bytes per file, default 10240] [rounds, 3]
// BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles berthd (see bench-daemon.ts); its pid
// is printed for `strace -c -f -p`. No tree is deleted before the end (see the rounds loop).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from '../src/lib/exec.js';
import { startBenchDaemon } from './bench-daemon.js';
import { startCliStub } from './cli-stub.js';
import { msSince, percentile } from './stats.js';

const files = Number(process.argv[2] ?? 20000);
const size = Number(process.argv[3] ?? 10240);
const rounds = Number(process.argv[4] ?? 3);
if (![files, size, rounds].every((n) => Number.isInteger(n) && n > 0)) throw new Error('bad args');
const tag = randomBytes(3).toString('hex');
const root = `/tmp/bcp-${tag}`;
const cgroupParent = `/berth-bench-${tag}`;
const perDir = 200;
const berth = fileURLToPath(new URL('../bin/berth.js', import.meta.url));

/** Wall time and CPU time (children's user+sys, from the shell's `times`) of a script. */
async function sh(
  script: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ ms: number; cpuMs: number }> {
  const t = process.hrtime.bigint();
  const r = await execFile('sh', ['-c', `${script}\ntimes`], { timeoutMs: 600_000, env });
  if (r.code !== 0) throw new Error(`${script}: ${r.stderr}`);
  const ms = msSince(t);
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  const secs = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { ms, cpuMs: ((secs[0] ?? 0) + (secs[1] ?? 0)) * 1000 };
}

/** CPU time of a process so far (utime + stime), and the kernel's share (stime), in ms. */
async function cpuOf(pid: number): Promise<{ total: number; sys: number }> {
  const f = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  const [user, sys] = [Number(f[11]) * 10, Number(f[12]) * 10]; // USER_HZ is 100 on Linux
  return { total: user + sys, sys };
}

/** `files` files of `size` random bytes, `perDir` to a directory. */
async function makeTree(dir: string): Promise<void> {
  const body = randomBytes(size);
  for (let i = 0; i < files; i++) {
    const sub = join(dir, `d${Math.floor(i / perDir)}`);
    if (i % perDir === 0) await mkdir(sub, { recursive: true });
    body.writeUInt32LE(i, 0); // distinct contents
    await writeFile(join(sub, `f${i}`), body);
  }
}

const fmt = (ms: number): string => `${ms.toFixed(0).padStart(6)} ms`;

async function main(): Promise<void> {
  const src = join(root, 'tree');
  await mkdir(src, { recursive: true });
  await makeTree(src);
  const mb = (files * size) / 1e6;
  console.log(`tree: ${files} files x ${size} B = ${mb.toFixed(0)} MB in ${files / perDir} dirs`);
  const daemon = await startBenchDaemon(root, cgroupParent);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DOCKER_HOST: `unix://${join(root, 'b.sock')}`,
    DOCKER_CONFIG: join(root, 'docker-config'),
  };
  const pid = daemon.process.pid ?? 0;
  console.log(`berthd pid ${pid}`);
  // Per round: the floor and both copies side by side (the host is shared, so wall ratios are
  // taken per round). CPU time splits the work: berthd's share of a copy in is the unpacking a
  // `tar -x` does, of a copy out the packing a `tar -c` does; the docker CLI does the other half.
  const ratios = {
    wallIn: [] as number[],
    wallOut: [] as number[],
    stubIn: [] as number[],
    stubOut: [] as number[],
    berthIn: [] as number[],
    berthOut: [] as number[],
  };
  const cpu = {
    xOvl: [] as number[],
    xIn: [] as number[],
    cOut: [] as number[],
    cliIn: [] as number[],
    cliOut: [] as number[],
  };
  const floors: number[] = [];
  const tarFile = join(root, 'tree.tar');
  await sh(`tar -c -C ${root} tree > ${tarFile}`);
  const stub = await startCliStub(join(root, 'stub.sock'), 'tree', tarFile);
  const stubEnv = { ...env, DOCKER_HOST: `unix://${stub.socket}` };
  try {
    await sh('docker run -d --name bcp --network none busybox sleep 3600', env);
    const id = (await daemon.client.containerInspect('bcp')).Id ?? '';
    const merged = join(root, 'data/overlay/containers', id, 'merged');
    // No step's tree is deleted before the end: on ext4 without a journal (this machine's
    // root), each inode allocation scans past the free inodes deleted in the last 5 s (305 s
    // while their inode table block is dirty, and creating files dirties those blocks). A step
    // run soon after an `rm -rf` of 20 000 files paid several times the kernel time of the same
    // step on a quiet disk, so the ratios measured the order of the steps (each round slower
    // than the last), not the engine. Keeping the trees costs about 1.2 GB of disk a round.
    for (let r = 0; r < rounds; r++) {
      const dst = join(root, `floor${r}`);
      await mkdir(dst);
      const floor = await sh(`tar -c -C ${root} tree | tar -x -C ${dst}`);
      const dstX = join(root, `x${r}`);
      await mkdir(dstX);
      const tarX = await sh(`tar -x -C ${dstX} < ${tarFile}`);
      const tarC = await sh(`tar -c -C ${root} tree | cat > /dev/null`);
      // The same unpacking straight into the container's overlay rootfs: what creating files
      // there costs the kernel, whoever does it.
      const ovl = join(merged, `ovl${r}`);
      await mkdir(ovl);
      const tarOvl = await sh(`tar -x -C ${ovl} < ${tarFile}`);
      let c0 = await cpuOf(pid);
      const cpIn = await sh(`docker cp ${src} bcp:/r${r}`, env);
      const c1 = await cpuOf(pid);
      const [dIn, sysIn] = [c1.total - c0.total, c1.sys - c0.sys];
      const out = join(root, `out${r}`);
      c0 = await cpuOf(pid);
      const cpOut = await sh(`docker cp bcp:/r${r} ${out}`, env);
      const dOut = (await cpuOf(pid)).total - c0.total;
      const stubIn = await sh(`docker cp ${src} stub:/s${r}`, stubEnv);
      const stubOut = await sh(`docker cp stub:/tree ${join(root, `so${r}`)}`, stubEnv);
      const berthIn = await sh(`node ${berth} cp ${src} bcp:/b${r}`, env);
      const berthOut = await sh(`node ${berth} cp bcp:/b${r} ${join(root, `bo${r}`)}`, env);
      ratios.stubIn.push(stubIn.ms / floor.ms);
      ratios.stubOut.push(stubOut.ms / floor.ms);
      ratios.berthIn.push(berthIn.ms / floor.ms);
      ratios.berthOut.push(berthOut.ms / floor.ms);
      floors.push(floor.ms);
      ratios.wallIn.push(cpIn.ms / floor.ms);
      ratios.wallOut.push(cpOut.ms / floor.ms);
      cpu.xIn.push(dIn / tarX.cpuMs);
      cpu.xOvl.push(dIn / tarOvl.cpuMs);
      cpu.cOut.push(dOut / tarC.cpuMs);
      cpu.cliIn.push(cpIn.cpuMs / tarC.cpuMs);
      cpu.cliOut.push(cpOut.cpuMs / tarX.cpuMs);
      console.log(
        `round ${r}: floor ${fmt(floor.ms)}  in ${fmt(cpIn.ms)}  out ${fmt(cpOut.ms)}  | cpu: ` +
          `tar -x ${fmt(tarX.cpuMs)} (into overlay ${fmt(tarOvl.cpuMs)}) tar -c ${fmt(tarC.cpuMs)} ` +
          `berthd in ${fmt(dIn)} (sys ${fmt(sysIn)}) ` +
          `out ${fmt(dOut)} docker CLI in ${fmt(cpIn.cpuMs)} out ${fmt(cpOut.cpuMs)}`,
      );
      console.log(
        `         docker CLI alone in ${fmt(stubIn.ms)} out ${fmt(stubOut.ms)}  ` +
          `berth cp in ${fmt(berthIn.ms)} out ${fmt(berthOut.ms)}`,
      );
    }
    const f = percentile(floors, 50);
    const m = (xs: number[]): string => `${percentile(xs, 50).toFixed(2)}x`;
    console.log(`floor tar -c | tar -x: median ${fmt(f)} (${(mb / (f / 1000)).toFixed(0)} MB/s)`);
    const share = (a: number[], b: number[]): string => m(a.map((x, i) => x / (b[i] ?? 1)));
    console.log(
      `docker cp into container: wall ${m(ratios.wallIn)} floor ` +
        `(docker CLI alone ${m(ratios.stubIn)}; berthd ${share(ratios.wallIn, ratios.stubIn)} that)`,
    );
    console.log(
      `docker cp out of it:      wall ${m(ratios.wallOut)} floor ` +
        `(docker CLI alone ${m(ratios.stubOut)}; berthd ${share(ratios.wallOut, ratios.stubOut)} that)`,
    );
    console.log(`berth cp in ${m(ratios.berthIn)} floor, out ${m(ratios.berthOut)} floor`);
    console.log(
      `cpu: berthd unpacking ${m(cpu.xIn)} tar -x (${m(cpu.xOvl)} tar -x into the overlay), ` +
        `packing ${m(cpu.cOut)} tar -c; ` +
        `docker CLI packing ${m(cpu.cliIn)} tar -c, unpacking ${m(cpu.cliOut)} tar -x`,
    );
    console.log(`(medians of ${rounds} rounds; target <= 1.5x)`);
  } finally {
    await sh('docker rm -f bcp', env).catch(() => 0);
    await stub.close();
    await daemon.stop();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
