import { isProcessAlive, readProcessStartTime } from '../../../drivers/runtime/conmon-pid.js';
import { rfc3339Nano } from '../../../lib/time.js';
import type { ExecCreateRequest, ExecStartOptions, ExecView } from '../exec/types.js';
import type { Probe } from './config.js';
import { goDuration } from './go-duration.js';
import type { HealthResult } from './state-machine.js';

/** The exec verbs a probe uses (the containers service's ExecService). */
export interface ProbeExecs {
  create(containerId: string, req: ExecCreateRequest): string;
  start(execId: string, opts: ExecStartOptions): Promise<void>;
  inspect(execId: string): ExecView;
  /** Drops a finished exec's record once its result is read. */
  forget(execId: string): void;
}

/** Docker keeps at most this much of a probe's output (stdout and stderr together). */
export const MAX_PROBE_OUTPUT = 4096;

/** Keeps the first {@link MAX_PROBE_OUTPUT} bytes written to it. */
class CappedOutput {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  add(data: Buffer): void {
    const room = MAX_PROBE_OUTPUT - this.size;
    if (room <= 0) return;
    const part = data.length > room ? data.subarray(0, room) : data;
    this.chunks.push(Buffer.from(part));
    this.size += part.length;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** A probe exec: no stdin or TTY, both output streams, the container's user and working dir. */
function probeRequest(argv: string[]): ExecCreateRequest {
  return {
    cmd: argv,
    env: [],
    workingDir: '',
    user: '',
    privileged: false,
    tty: false,
    attachStdin: false,
    attachStdout: true,
    attachStderr: true,
    detachKeys: '',
    consoleSize: null,
  };
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Runs one probe as an exec inside the container and returns its result; never throws. A probe
 * that could not run gives exit code -1 and the error as output. One still running after the
 * timeout is recorded as `Health check exceeded timeout (…)` with exit code -1, and its process is
 * killed in the background — only if it is still the very process that started (pid and start
 * time), so a recycled pid is never hit.
 */
export async function runProbe(
  execs: ProbeExecs,
  containerId: string,
  probe: Probe,
  log: (msg: string) => void,
): Promise<HealthResult> {
  const start = rfc3339Nano();
  const fail = (output: string): HealthResult => ({
    start,
    end: rfc3339Nano(),
    exitCode: -1,
    output,
  });
  let execId: string;
  try {
    execId = execs.create(containerId, probeRequest(probe.argv));
  } catch (e) {
    return fail(message(e));
  }
  const output = new CappedOutput();
  let ended!: () => void;
  const finished = new Promise<void>((resolve) => (ended = resolve));
  const started = execs.start(execId, {
    detach: false,
    open: () => ({ write: (_stream, data) => output.add(data), end: () => ended() }),
  });
  // Read the process's identity as soon as it runs, for the timeout kill.
  const identity = started.then(async () => {
    const pid = execs.inspect(execId).pid;
    return { pid, startTime: await readProcessStartTime(pid) };
  });
  identity.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(1, probe.timeoutNs / 1e6));
    timer.unref();
  });
  let outcome: 'done' | 'timeout';
  try {
    outcome = await Promise.race([
      started.then(() => finished).then(() => 'done' as const),
      timedOut,
    ]);
  } catch (e) {
    return fail(message(e));
  } finally {
    clearTimeout(timer);
  }
  if (outcome === 'timeout') {
    void killProbe(execs, execId, identity).catch((e: unknown) =>
      log(`health probe ${execId} of ${containerId}: kill failed: ${message(e)}`),
    );
    return fail(`Health check exceeded timeout (${goDuration(probe.timeoutNs)})`);
  }
  let exitCode = -1;
  try {
    exitCode = execs.inspect(execId).exitCode ?? -1;
    execs.forget(execId);
  } catch {
    // The container (and with it its execs) went away meanwhile.
  }
  return { start, end: rfc3339Nano(), exitCode, output: output.text() };
}

/** SIGKILLs a timed-out probe's process once it is known, if it still is that process. */
async function killProbe(
  execs: ProbeExecs,
  execId: string,
  identity: Promise<{ pid: number; startTime: bigint | null }>,
): Promise<void> {
  const known = await identity.catch(() => null);
  if (known === null) return; // it never started
  const { pid, startTime } = known;
  if (pid <= 0 || startTime === null || !execs.inspect(execId).running) return;
  if (!(await isProcessAlive(pid, startTime))) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}
