/**
 * Test fixture (used only by the runtime tests): a busybox rootfs, OCI bundles for it, a private
 * runc root and cgroup parent, and a cleanup that removes all of it and checks that no conmon
 * is left. Requires root, runc, conmon and /bin/busybox.
 */
import { randomBytes } from 'node:crypto';
import {
  copyFile,
  mkdir,
  readdir,
  readFile,
  rm,
  rmdir,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execFile } from '../../lib/exec.js';
import { isConmonAlive } from './conmon-pid.js';
import { RuncRuntime } from './runc.js';
import type { RuntimeCreateOptions } from './runtime.js';

export interface Fixture {
  base: string;
  exitDir: string;
  runtime: RuncRuntime;
  /**
   * A new bundle whose process runs `args`; `dirName` overrides the bundle dir's name;
   * `consoleSize` sets the spec's process.consoleSize (applied by runc itself at create).
   */
  bundle(
    args: string[],
    o?: { tty?: boolean; dirName?: string; consoleSize?: { rows: number; cols: number } },
  ): Promise<RuntimeCreateOptions>;
  /** Records a conmon pid so that cleanup can check it is gone. */
  track(id: string, conmonPid: number): void;
  cleanup(): Promise<void>;
}

const applets = ['sh', 'echo', 'sleep', 'cat', 'stty', 'true', 'printf'];

export async function makeFixture(): Promise<Fixture> {
  const tag = randomBytes(4).toString('hex');
  const base = `/tmp/berth-test-${tag}`;
  const rootfs = join(base, 'rootfs');
  const exitDir = join(base, 'exits');
  const cgroupParent = `berth-test-${tag}`;
  await mkdir(join(rootfs, 'bin'), { recursive: true });
  for (const d of ['proc', 'sys', 'dev', 'tmp']) await mkdir(join(rootfs, d));
  await mkdir(exitDir);
  await copyFile('/bin/busybox', join(rootfs, 'bin/busybox'));
  for (const a of applets) await symlink('busybox', join(rootfs, 'bin', a));
  await execFile('/usr/sbin/runc', ['spec', '--bundle', base], { timeoutMs: 10_000 });
  const template = JSON.parse(await readFile(join(base, 'config.json'), 'utf8')) as Spec;
  const runtime = new RuncRuntime({ root: join(base, 'runc') });
  const ids: string[] = [];
  const conmons = new Map<string, number>();
  let n = 0;

  return {
    base,
    exitDir,
    runtime,
    async bundle(args, o = {}) {
      const id = `rt${tag}${n++}`;
      ids.push(id);
      const dir = join(base, o.dirName ?? id);
      await mkdir(dir);
      const spec = structuredClone(template);
      spec.root = { path: rootfs, readonly: true };
      spec.process.args = args;
      spec.process.terminal = o.tty ?? false;
      if (o.consoleSize !== undefined) {
        spec.process.consoleSize = { height: o.consoleSize.rows, width: o.consoleSize.cols };
      }
      spec.linux.cgroupsPath = `/${cgroupParent}/${id}`;
      await writeFile(join(dir, 'config.json'), JSON.stringify(spec));
      return {
        id,
        name: id,
        bundleDir: dir,
        logPath: join(dir, 'ctr.log'),
        exitDir,
        persistDir: join(dir, 'persist'),
        tty: o.tty ?? false,
        stdin: false,
        leaveStdinOpen: false,
      };
    },
    track(id, pid) {
      conmons.set(id, pid);
    },
    async cleanup() {
      for (const id of ids) await runtime.delete(id, true).catch(() => {});
      for (const [id, pid] of conmons) {
        // A conmon outlives its container by a moment (and is a zombie up to ~1 s).
        for (let i = 0; i < 40 && (await isConmonAlive(pid, id)); i++) await sleep(50);
        if (await isConmonAlive(pid, id)) {
          process.kill(pid, 'SIGKILL');
          throw new Error(`conmon ${pid} of ${id} was left running`);
        }
      }
      for (const ctrl of await readdir('/sys/fs/cgroup')) {
        await rmdir(join('/sys/fs/cgroup', ctrl, cgroupParent)).catch(() => {});
      }
      await rm(base, { recursive: true, force: true });
    },
  };
}

interface Spec {
  root: { path: string; readonly: boolean };
  process: { args: string[]; terminal: boolean; consoleSize?: { height: number; width: number } };
  linux: { cgroupsPath?: string };
}
