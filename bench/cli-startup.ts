// bench/cli-startup: how much `berth --version` costs over starting node itself. Runs `node -e 0`
// (the floor) and `node dist/bin/berth.js --version` N times each, alternating so drift hits both
// alike, and prints p50/p95 of each, the p50 difference in ms and the ratio to the floor.
// Usage: node dist/bench/cli-startup.js [N]   (no assertion: the budget is +100 ms)
import { fileURLToPath } from 'node:url';
import { execFile } from '../src/lib/exec.js';
import { msSince, percentile, row } from './stats.js';

const n = Number(process.argv[2] ?? 20);
if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error(`bad N: ${process.argv[2] ?? ''}`);
const berth = fileURLToPath(new URL('../bin/berth.js', import.meta.url));

/** Wall time of one child run in ms; fails loudly if the child fails. */
async function time(args: string[]): Promise<number> {
  const start = process.hrtime.bigint();
  const r = await execFile(process.execPath, args, { timeoutMs: 10_000 });
  const ms = msSince(start);
  if (r.code !== 0) throw new Error(`node ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return ms;
}

const floor: number[] = [];
const cli: number[] = [];
await time(['-e', '0']); // warm the page cache for both before measuring
await time([berth, '--version']);
for (let i = 0; i < n; i++) {
  floor.push(await time(['-e', '0']));
  cli.push(await time([berth, '--version']));
}
const p50Floor = percentile(floor, 50);
const p50Cli = percentile(cli, 50);
console.log(`cli-startup (N=${n})`);
console.log(row('node -e 0 (floor)', floor));
console.log(row('node dist/bin/berth.js --version', cli));
console.log(
  `difference p50 ${(p50Cli - p50Floor).toFixed(1)} ms   ratio ${(p50Cli / p50Floor).toFixed(2)}x floor`,
);
