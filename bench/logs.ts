// bench/logs: a container writes 100 MB to stdout; how fast the logs path takes it in (conmon →
// log file) and gives it back (GET /logs, stdcopy frames), each beside the floor of the same bytes
// through `cat` on the host, as throughput ratios. Reports berthd's RSS before and after.
// Usage: node dist/bench/logs.js [MB] [line length in bytes, default 100]
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from '../src/lib/exec.js';
import { startBenchDaemon } from './bench-daemon.js';
import { msSince } from './stats.js';

const mb = Number(process.argv[2] ?? 100);
const bytes = mb * 1_000_000;
const tag = randomBytes(3).toString('hex');
const root = `/tmp/bl-${tag}`;
const cgroupParent = `/berth-bench-${tag}`;
const lineBytes = Number(process.argv[3] ?? 100);
if (!Number.isInteger(lineBytes) || lineBytes < 2 || lineBytes > 65536)
  throw new Error('bad line length');
// Lines of `lineBytes`: letters and a newline.
const writer = `yes ${'a'.repeat(lineBytes - 1)} | head -c ${bytes}`;

async function sh(script: string): Promise<number> {
  const t = process.hrtime.bigint();
  const r = await execFile('sh', ['-c', script], { timeoutMs: 600_000 });
  if (r.code !== 0) throw new Error(`${script}: ${r.stderr}`);
  return msSince(t);
}

const mbps = (ms: number): string => `${(mb / (ms / 1000)).toFixed(0)} MB/s`;

async function main(): Promise<void> {
  await mkdir(root, { recursive: true });
  const file = join(root, 'floor.txt');
  const daemon = await startBenchDaemon(root, cgroupParent);
  try {
    const floorWrite = await sh(`${writer} | cat > ${file}`);
    const floorRead = await sh(`cat ${file} > /dev/null`);
    await rm(file);

    const { client } = daemon;
    const rssBefore = await daemon.rss();
    const { Id } = await client.containerCreate({
      Image: 'busybox',
      Cmd: ['sh', '-c', writer],
      HostConfig: { NetworkMode: 'none' },
    });
    const w = await client.containerWait(Id, 'next-exit');
    let t = process.hrtime.bigint();
    await client.containerStart(Id);
    await w.result;
    const ingest = msSince(t);
    const rssAfterIngest = await daemon.rss();

    // Read the whole log three times: the time of each, and RSS after each (it must level off).
    // The first read also pays berthd's JIT warm-up; the median is the steadier figure on a
    // shared machine, and both are printed.
    const rssAfterReads: number[] = [];
    const reads: number[] = [];
    for (let round = 0; round < 3; round++) {
      t = process.hrtime.bigint();
      let got = 0;
      for await (const c of await client.containerLogs(Id, {
        stdout: true,
        stderr: true,
        tty: false,
      }))
        got += c.data.length;
      reads.push(msSince(t));
      if (got !== bytes) throw new Error(`logs returned ${got} bytes, expected ${bytes}`);
      rssAfterReads.push(await daemon.rss());
    }
    await client.containerRemove(Id, { force: true });
    const first = reads[0] as number;
    const read = [...reads].sort((a, b) => a - b)[1] as number;

    console.log(`${mb} MB of ${lineBytes}-byte lines through the logs path`);
    console.log(
      `ingest  floor (sh | cat > file) ${floorWrite.toFixed(0).padStart(6)} ms ${mbps(floorWrite).padStart(10)}   berth (container → conmon → log) ${ingest.toFixed(0).padStart(6)} ms ${mbps(ingest).padStart(10)}   throughput ratio ${(floorWrite / ingest).toFixed(2)}`,
    );
    console.log(
      `read    floor (cat file)         ${floorRead.toFixed(0).padStart(6)} ms ${mbps(floorRead).padStart(10)}   berth (GET /logs, stdcopy, median of 3) ${read.toFixed(0).padStart(6)} ms ${mbps(read).padStart(10)}   throughput ratio ${(floorRead / read).toFixed(2)} (first read ${first.toFixed(0)} ms)`,
    );
    console.log(
      `end to end: berth ingest+read ${(ingest + read).toFixed(0)} ms vs floor write+read ${(floorWrite + floorRead).toFixed(0)} ms: throughput ratio ${((floorWrite + floorRead) / (ingest + read)).toFixed(2)} (target ≥ 0.5)`,
    );
    console.log(
      `berthd RSS: before ${(rssBefore / 1e6).toFixed(1)} MB, after ingest ${(rssAfterIngest / 1e6).toFixed(1)} MB, after each of 3 full reads ${rssAfterReads.map((r) => (r / 1e6).toFixed(1)).join(' / ')} MB`,
    );
  } finally {
    await daemon.stop();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
