// bench/pull: a cold pull of a ~150 MB image (3 layers of incompressible data, gzip) from a local
// docker-registry, beside the same work done by the Go tools in the same run: `skopeo copy` to an
// OCI layout plus `umoci unpack`. Prints wall times, MB/s, the ratio (target ≤ 0.7) and berthd's
// peak RSS. Usage: node dist/bench/pull.js [MB per layer, default 50] [rounds, default 2]
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startBenchDaemon } from './bench-daemon.js';
import { execFile } from '../src/lib/exec.js';
import { pushTestImage } from '../test/helpers/registry-images.js';
import { startRegistry } from '../test/helpers/registry.js';

const layerMb = Number(process.argv[2] ?? 50);
const rounds = Number(process.argv[3] ?? 2);
const tag = randomBytes(3).toString('hex');
const root = `/tmp/bp-${tag}`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function must(file: string, args: string[]): Promise<void> {
  const r = await execFile(file, args, { timeoutMs: 600_000 });
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')}: ${r.stderr}`);
}

/**
 * Flushes dirty pages before a timed run (not timed): otherwise a run pays for the writeback of
 * the previous run's 300 MB (and its `rm -rf`) in its own fsyncs, and which of the two tools ran
 * last decided who was slower — the main source of the spread between rounds.
 */
async function settle(): Promise<void> {
  await must('sync', []);
}

/** skopeo copy registry → OCI layout, then umoci unpack into a bundle: the Go tools' pull. */
async function goTools(ref: string, dir: string): Promise<number> {
  await mkdir(dir, { recursive: true });
  await settle();
  const t0 = performance.now();
  await must('skopeo', [
    'copy',
    '--quiet',
    '--src-tls-verify=false',
    `docker://${ref}`,
    `oci:${dir}/layout:bench`,
  ]);
  await must('umoci', ['unpack', '--image', `${dir}/layout:bench`, `${dir}/bundle`]);
  return performance.now() - t0;
}

/** A cold pull through a fresh berthd: the API call until the stream's last line. */
async function berthPull(ref: string, dir: string): Promise<{ ms: number; peakRss: number }> {
  const d = await startBenchDaemon(dir, `/berth-bench-${tag}`);
  try {
    await settle();
    const t0 = performance.now();
    const stream = await d.client.imagePull(ref);
    for await (const m of stream) if (typeof m['error'] === 'string') throw new Error(m['error']);
    const ms = performance.now() - t0;
    const status = await readFile(`/proc/${d.process.pid}/status`, 'utf8');
    const peakRss = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
    return { ms, peakRss };
  } finally {
    await d.stop();
  }
}

async function main(): Promise<void> {
  await mkdir(root, { recursive: true });
  const reg = await startRegistry();
  try {
    const bytes = layerMb * 1_000_000;
    const img = await pushTestImage(reg.host, 'bench/big:1', {
      image: { kind: 'random', layers: 3, layerBytes: bytes },
    });
    const totalMb = (3 * bytes) / 1e6;
    console.log(`image: 3 layers × ${layerMb} MB incompressible (gzip), ${totalMb} MB`);
    const berth: number[] = [];
    const go: number[] = [];
    let peak = 0;
    for (let i = 0; i < rounds; i++) {
      const gdir = join(root, `go-${i}`);
      go.push(await goTools(img.ref, gdir));
      await rm(gdir, { recursive: true, force: true });
      const bdir = join(root, `berth-${i}`);
      const b = await berthPull(img.ref, bdir);
      berth.push(b.ms);
      peak = Math.max(peak, b.peakRss);
      await execFile('umount', ['-R', bdir], { timeoutMs: 10_000 }).catch(() => undefined);
      await rm(bdir, { recursive: true, force: true });
    }
    const best = (xs: number[]) => Math.min(...xs);
    const fmt = (ms: number) =>
      `${(ms / 1000).toFixed(2)} s, ${(totalMb / (ms / 1000)).toFixed(1)} MB/s`;
    const spread = (xs: number[]) =>
      `min ${best(xs).toFixed(0)} median ${median(xs).toFixed(0)} max ${Math.max(...xs).toFixed(0)} ms`;
    console.log(
      `berth pull (median of ${rounds}):            ${fmt(median(berth))}   ${spread(berth)}; all: ${berth.map((x) => x.toFixed(0)).join(', ')} ms`,
    );
    console.log(
      `skopeo copy + umoci unpack (median of ${rounds}): ${fmt(median(go))}   ${spread(go)}; all: ${go.map((x) => x.toFixed(0)).join(', ')} ms`,
    );
    // Each round runs both back to back, so a round's ratio shares that moment's machine load.
    const ratios = berth.map((b, i) => b / (go[i] as number));
    console.log(
      `ratio berth / go tools: median of rounds ${median(ratios).toFixed(2)} (per round: ${ratios.map((r) => r.toFixed(2)).join(', ')}); best/best ${(best(berth) / best(go)).toFixed(2)} (target ≤ 0.70)`,
    );
    console.log(`berthd peak RSS (VmHWM): ${(peak / 1024 / 1024).toFixed(1)} MiB`);
  } finally {
    await reg.stop();
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
