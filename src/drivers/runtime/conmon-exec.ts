import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { BerthError, invalidParameter, systemError } from '../../errors/index.js';
import { atomicWrite } from '../../lib/atomic-write.js';
import type { AttachConnection } from './attach.js';
import { isConmonAlive } from './conmon-pid.js';
import { LineReader } from './line-reader.js';
import {
  cleanRuntimeMessage,
  isValidRuntimeId,
  type RuntimeExecOptions,
  type RuntimeExecProcess,
} from './runtime.js';

/**
 * Running one exec through conmon (LOWLEVEL §2.5): conmon `-e --exec-process-spec` runs
 * `runtime exec --detach` itself and reports two sync-pipe lines, the pid and later the exit code.
 * With `--exec-attach` it first reports on fd 5 that `<execDir>/attach` listens, then waits for a
 * second start-pipe byte, so the engine connects before the process can print anything.
 */
export interface ConmonExecLaunch {
  conmonPath: string;
  runtimePath: string;
  /** Global runtime arguments (`--root R`…), forwarded with `--runtime-arg`. */
  runtimeArgs: readonly string[];
  options: RuntimeExecOptions;
  /** Connects to `<execDir>/attach` (connectAttach in production). */
  connect: (dir: string) => Promise<AttachConnection>;
}

/** The conmon argv for an exec (pure). The exit file is named after `-c`, so exit/ is per exec. */
export function conmonExecArgs(
  runtimePath: string,
  runtimeArgs: readonly string[],
  o: RuntimeExecOptions,
): string[] {
  for (const [what, id] of [
    ['container', o.containerId],
    ['exec', o.execId],
  ] as const) {
    if (!isValidRuntimeId(id)) throw invalidParameter(`invalid ${what} id: ${JSON.stringify(id)}`);
  }
  const d = o.execDir;
  const args = ['--api-version', '1', '-c', o.containerId, '-u', o.execId, '-r', runtimePath];
  args.push('-b', d, '-p', join(d, 'exec_pid'), '-P', join(d, 'conmon.pid'), '-l', 'none');
  args.push('--exit-dir', join(d, 'exit'), '--full-attach');
  if (o.stdin) args.push('-i');
  if (o.stdin && o.leaveStdinOpen === true) args.push('--leave-stdin-open');
  if (o.tty) args.push('-t');
  for (const a of runtimeArgs) args.push('--runtime-arg', a);
  args.push('-e');
  if (o.attach) args.push('--exec-attach');
  args.push('--exec-process-spec', join(d, 'process.json'));
  return args;
}

class LaunchTimeout extends Error {}

/**
 * Starts the exec and resolves with its pid (and its connected stdio when asked). On failure
 * nothing is left open: the attach connection is closed and, on timeout, conmon is killed.
 */
export async function launchConmonExec(l: ConmonExecLaunch): Promise<RuntimeExecProcess> {
  const o = l.options;
  if (o.process.terminal !== o.tty) throw invalidParameter('process.terminal must equal tty');
  const args = conmonExecArgs(l.runtimePath, l.runtimeArgs, o);
  await mkdir(join(o.execDir, 'exit'), { recursive: true, mode: 0o700 });
  await atomicWrite(join(o.execDir, 'process.json'), JSON.stringify(o.process));
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    _OCI_SYNCPIPE: '3',
    _OCI_STARTPIPE: '4',
  };
  if (o.attach) env['_OCI_ATTACHPIPE'] = '5';
  const child = spawn(l.conmonPath, args, {
    cwd: o.execDir,
    env,
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe', ...(o.attach ? ['pipe' as const] : [])],
  });
  const stdio = child.stdio as unknown as (Readable | Writable | null)[];
  const errPipe = stdio[2] as Readable;
  const sync = new LineReader(stdio[3] as Readable);
  const startPipe = stdio[4] as Writable;
  const attachPipe = o.attach ? new LineReader(stdio[5] as Readable) : undefined;
  const pipes = stdio.filter((p): p is Readable | Writable => p !== null);
  for (const p of pipes) p.on('error', () => {}); // EPIPE when conmon is gone
  let stderr = '';
  errPipe.on('data', (b: Buffer) => {
    if (stderr.length < 8192) stderr += b.toString('utf8');
  });
  child.once('error', (e) => (stderr += `\n${e.message}`));
  const failure = (): string => cleanRuntimeMessage(stderr) || 'conmon exited early';

  let attach: AttachConnection | undefined;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LaunchTimeout()), o.timeoutMs ?? 30_000);
  });
  const steps = async (): Promise<number> => {
    startPipe.write(Buffer.of(0));
    if (attachPipe !== undefined) {
      const ready = await attachPipe.next();
      if (ready === null) throw systemError(`conmon failed: ${failure()}`);
      attach = await l.connect(o.execDir);
      startPipe.write(Buffer.of(0)); // conmon runs `runtime exec` only after this second byte
    }
    startPipe.end();
    const line = await sync.next();
    if (line === null) throw systemError(`conmon failed: ${failure()}`);
    return parseSyncData(line, true);
  };
  const started = steps();
  // After a timeout the steps may still finish: close what they opened then.
  let abandoned = false;
  started.then(
    () => abandoned && attach?.close(),
    () => undefined,
  );
  try {
    const pid = await Promise.race([started, deadline]);
    const exited = sync
      .next()
      .then((line) => (line === null ? null : parseSyncData(line, false)))
      .catch(() => null)
      .finally(() => {
        for (const p of pipes) p.destroy();
      });
    return { pid, exited, ...(attach ? { attach } : {}) };
  } catch (e) {
    abandoned = true;
    attach?.close();
    for (const p of pipes) p.destroy();
    if (e instanceof LaunchTimeout) {
      await killExecConmon(o);
      throw systemError(`${o.execId}: conmon did not start the exec within ${o.timeoutMs} ms`);
    }
    if (e instanceof BerthError) throw e;
    throw systemError(`cannot run conmon: ${(e as Error).message}`, e);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Decodes `{"data": N}`: a pid (> 0) first, then the exit code (>= 0). `{"data": -1, "message"}`
 * is a failed `runtime exec`: thrown with the runtime's own message.
 */
export function parseSyncData(line: string, isPid: boolean): number {
  let msg: { data?: unknown; message?: unknown };
  try {
    msg = JSON.parse(line) as typeof msg;
  } catch {
    throw systemError(`conmon: unreadable sync message: ${line.slice(0, 200)}`);
  }
  const d = msg.data;
  if (typeof d === 'number' && Number.isSafeInteger(d) && (isPid ? d > 0 : d >= 0)) return d;
  const text = typeof msg.message === 'string' ? cleanRuntimeMessage(msg.message) : '';
  throw systemError(text || `runtime exec failed (${line.slice(0, 200)})`);
}

/** Kills the exec's conmon (found through its own pidfile) and its process group. */
async function killExecConmon(o: RuntimeExecOptions): Promise<void> {
  const text = await readFile(join(o.execDir, 'conmon.pid'), 'utf8').catch(() => '');
  const pid = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || !(await isConmonAlive(pid, o.containerId))) return;
  try {
    process.kill(-pid, 'SIGKILL'); // conmon called setsid(): its group holds runtime exec too
  } catch {
    // already gone
  }
}
