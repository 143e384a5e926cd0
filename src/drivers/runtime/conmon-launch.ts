import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { BerthError, invalidParameter, systemError } from '../../errors/index.js';
import { isConmonAlive, readProcessStartTime } from './conmon-pid.js';
import {
  cleanRuntimeMessage,
  type CreatedContainer,
  type RuntimeCreateOptions,
} from './runtime.js';

/**
 * Launching one container through conmon (LOWLEVEL §2.1): conmon waits for a byte on the start
 * pipe (fd 4), forks (the parent writes conmon.pid and exits), the child runs `runtime create`
 * and reports `{"data": pid}` or `{"data": -1, "message": …}` on the sync pipe (fd 3).
 */
export interface ConmonLaunch {
  conmonPath: string;
  runtimePath: string;
  /** Global runtime arguments (`--root R`…), forwarded with `--runtime-arg`. */
  runtimeArgs: readonly string[];
  options: RuntimeCreateOptions;
  timeoutMs: number;
  /** Removes whatever the runtime may have left; called when the launch times out or fails. */
  cleanup: () => Promise<void>;
}

/** conmon's environment: PATH only (P8: it leaks into exit commands), plus the pipe numbers. */
const conmonEnv = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  _OCI_SYNCPIPE: '3',
  _OCI_STARTPIPE: '4',
};

/** The conmon argv for a container create (pure). */
export function conmonArgs(
  runtimePath: string,
  runtimeArgs: readonly string[],
  o: RuntimeCreateOptions,
): string[] {
  const args = ['--api-version', '1', '-c', o.id, '-u', o.id, '-n', o.name, '-r', runtimePath];
  args.push('-b', o.bundleDir, '-p', join(o.bundleDir, 'pidfile'));
  args.push('-P', join(o.bundleDir, 'conmon.pid'));
  args.push('-l', o.noLog === true ? 'none' : `k8s-file:${o.logPath}`);
  // conmon fsyncs the whole log before it writes the exit file, so every exit (and wait, and
  // `run --rm`) waited for the log to reach the disk: ~50 ms for 100 MB here. Docker's json-file
  // never fsyncs either; the log survives a berthd restart through the page cache all the same.
  args.push('--no-sync-log');
  args.push('--exit-dir', o.exitDir, '-0', o.persistDir, '--full-attach');
  if (o.stdin) args.push('-i');
  if (o.leaveStdinOpen) args.push('--leave-stdin-open');
  if (o.tty) args.push('-t');
  for (const a of runtimeArgs) args.push('--runtime-arg', a);
  if (o.logSizeMax !== undefined) {
    if (!Number.isSafeInteger(o.logSizeMax) || o.logSizeMax <= 0) {
      throw invalidParameter(`invalid log size limit: ${o.logSizeMax}`);
    }
    args.push('--log-size-max', String(o.logSizeMax));
  }
  return args;
}

class LaunchTimeout extends Error {}

/**
 * Runs conmon and resolves once the runtime has created the container. Nothing of the launch
 * stays open in this process afterwards: the pipes are destroyed and conmon's parent has exited.
 * On any failure the runtime state is cleaned up; on timeout conmon is killed first.
 */
export async function launchConmon(l: ConmonLaunch): Promise<CreatedContainer> {
  const o = l.options;
  const args = conmonArgs(l.runtimePath, l.runtimeArgs, o);
  const child = spawn(l.conmonPath, args, {
    cwd: o.bundleDir, // conmon writes its "oom" file into its cwd
    env: conmonEnv,
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  const [, , errPipe, syncPipe, startPipe] = child.stdio as unknown as [
    null,
    null,
    Readable,
    Readable,
    Writable,
  ];
  for (const p of [errPipe, syncPipe, startPipe]) p.on('error', () => {}); // EPIPE if spawn failed
  let stderr = '';
  errPipe.on('data', (b: Buffer) => {
    if (stderr.length < 8192) stderr += b.toString('utf8');
  });
  const parentExit = new Promise<number | null>((resolve, reject) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', reject);
  });
  const syncLine = firstLine(syncPipe, 65536);
  startPipe.end(Buffer.of(0));

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LaunchTimeout()), l.timeoutMs);
  });
  parentExit.catch(() => {});
  try {
    const [exitCode, line] = await Promise.race([Promise.all([parentExit, syncLine]), deadline]);
    if (line === null) {
      const why = cleanRuntimeMessage(stderr) || `conmon exited with code ${exitCode}`;
      throw systemError(`conmon failed: ${why}`);
    }
    const pid = parseSyncLine(line);
    const conmonPid = await readPidFile(join(o.bundleDir, 'conmon.pid'));
    const pidStartTime = await readProcessStartTime(pid);
    if (pidStartTime === null) throw systemError(`container process ${pid} vanished after create`);
    return { pid, conmonPid, pidStartTime };
  } catch (e) {
    if (e instanceof LaunchTimeout) {
      await killConmon(child.exitCode === null ? child.pid : undefined, o);
      await l.cleanup().catch(() => {});
      throw systemError(`${o.id}: conmon did not create the container within ${l.timeoutMs} ms`);
    }
    await l.cleanup().catch(() => {});
    if (e instanceof BerthError) throw e;
    throw systemError(`cannot run conmon: ${(e as Error).message}`, e);
  } finally {
    clearTimeout(timer);
    for (const p of [errPipe, syncPipe, startPipe]) p.destroy();
  }
}

/** Decodes the sync pipe message; throws the runtime's own message on failure. */
function parseSyncLine(line: string): number {
  let msg: { data?: unknown; message?: unknown };
  try {
    msg = JSON.parse(line) as typeof msg;
  } catch {
    throw systemError(`conmon: unreadable sync message: ${line.slice(0, 200)}`);
  }
  if (typeof msg.data === 'number' && Number.isSafeInteger(msg.data) && msg.data > 0) {
    return msg.data;
  }
  const text = typeof msg.message === 'string' ? cleanRuntimeMessage(msg.message) : '';
  throw systemError(text || 'runtime create failed');
}

/** Resolves the first '\n'-terminated line of `s` (or what came before EOF), null on empty EOF. */
function firstLine(s: Readable, max: number): Promise<string | null> {
  return new Promise((resolve) => {
    let buf = '';
    const done = (v: string | null): void => {
      s.removeAllListeners('data');
      resolve(v);
    };
    s.on('data', (b: Buffer) => {
      buf += b.toString('utf8');
      const nl = buf.indexOf('\n');
      if (nl >= 0) done(buf.slice(0, nl));
      else if (buf.length > max) done(buf);
    });
    s.once('close', () => done(buf === '' ? null : buf));
    s.once('end', () => done(buf === '' ? null : buf));
  });
}

async function readPidFile(path: string): Promise<number> {
  const text = (await readFile(path, 'utf8')).trim();
  const pid = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(pid) || pid <= 0) {
    throw systemError(`${path}: not a pid: ${text.slice(0, 40)}`);
  }
  return pid;
}

/** Kills conmon's parent (if still there) and its daemonised child's group, verified by cmdline. */
async function killConmon(parentPid: number | undefined, o: RuntimeCreateOptions): Promise<void> {
  const pid = await readPidFile(join(o.bundleDir, 'conmon.pid')).catch(() => undefined);
  const live = pid !== undefined && (await isConmonAlive(pid, o.id));
  // The daemonised conmon called setsid(), so its process group holds it and the runtime it is
  // waiting for; conmon's parent is still in our own group, so it is killed by pid only.
  for (const p of [parentPid, live ? -pid : undefined]) {
    if (p === undefined) continue;
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
