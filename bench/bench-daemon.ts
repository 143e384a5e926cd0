import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BerthClient } from '../src/client/index.js';

const berthd = fileURLToPath(new URL('../bin/berthd.js', import.meta.url));

/** A berthd of a benchmark's own, under `root` with its own cgroup parent. */
export interface BenchDaemon {
  client: BerthClient;
  process: ChildProcess;
  /** Resident set size of berthd now, in bytes (from /proc). */
  rss(): Promise<number>;
  stop(): Promise<void>;
}

export async function startBenchDaemon(root: string, cgroupParent: string): Promise<BenchDaemon> {
  const socket = join(root, 'b.sock');
  const proc = spawn(
    process.execPath,
    [
      berthd,
      '-H',
      `unix://${socket}`,
      '--data-root',
      join(root, 'data'),
      '--exec-root',
      join(root, 'run'),
      '--cgroup-parent',
      cgroupParent,
    ],
    { stdio: 'ignore' },
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
      for (const h of await readdir('/sys/fs/cgroup').catch(() => [] as string[])) {
        await rmdir(join('/sys/fs/cgroup', h, cgroupParent)).catch(() => undefined);
      }
    },
  };
}
