import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BerthError,
  conflict,
  invalidParameter,
  notFound,
  systemError,
} from '../../errors/index.js';
import { execFile, ExecTimeoutError } from '../../lib/exec.js';
import { connectAttach } from './attach.js';
import { launchConmonExec } from './conmon-exec.js';
import { launchConmon } from './conmon-launch.js';
import {
  cleanRuntimeMessage,
  isValidRuntimeId,
  type CreatedContainer,
  type OciRuntime,
  type RuntimeCreateOptions,
  type RuntimeExecOptions,
  type RuntimeExecProcess,
  type RuntimeState,
} from './runtime.js';

/** How {@link RuncRuntime} finds its tools and keeps its state. */
export interface RuncOptions {
  /** Default /usr/sbin/runc. */
  runtimePath?: string;
  /** Default /usr/bin/conmon. */
  conmonPath?: string;
  /** runc `--root`: the runtime's state dir (Berth's own, never the system default). */
  root: string;
  /** 'systemd' adds runc's `--systemd-cgroup`; default cgroupfs. */
  cgroupManager?: 'cgroupfs' | 'systemd';
  /** Deadline for each runc call other than create, in ms (default 10 000). */
  callTimeoutMs?: number;
}

const statuses = new Set(['creating', 'created', 'running', 'paused', 'stopped']);
const signalPattern = /^[A-Za-z0-9+-]{1,16}$/;

/** runc driven through conmon (LOWLEVEL §2). One instance per runtime root. */
export class RuncRuntime implements OciRuntime {
  readonly name = 'runc';
  readonly #runc: string;
  readonly #conmon: string;
  readonly #globalArgs: string[];
  readonly #timeoutMs: number;

  constructor(opts: RuncOptions) {
    this.#runc = opts.runtimePath ?? '/usr/sbin/runc';
    this.#conmon = opts.conmonPath ?? '/usr/bin/conmon';
    this.#globalArgs = ['--root', opts.root];
    if (opts.cgroupManager === 'systemd') this.#globalArgs.push('--systemd-cgroup');
    this.#timeoutMs = opts.callTimeoutMs ?? 10_000;
  }

  async create(o: RuntimeCreateOptions): Promise<CreatedContainer> {
    checkId(o.id);
    if (o.initialSize !== undefined) checkSize(o.initialSize.rows, o.initialSize.cols);
    await Promise.all([
      mkdir(o.exitDir, { recursive: true }),
      mkdir(o.persistDir, { recursive: true }),
    ]);
    const created = await launchConmon({
      conmonPath: this.#conmon,
      runtimePath: this.#runc,
      runtimeArgs: this.#globalArgs,
      options: o,
      timeoutMs: o.timeoutMs ?? 30_000,
      cleanup: () => this.delete(o.id, true),
    });
    if (o.tty && o.initialSize !== undefined) {
      try {
        await this.resize(o.bundleDir, o.initialSize.rows, o.initialSize.cols);
      } catch (e) {
        await this.delete(o.id, true).catch(() => {}); // a failed create leaves nothing behind
        throw e;
      }
    }
    return created;
  }

  async start(id: string): Promise<void> {
    await this.#run(['start', checkId(id)]);
  }

  async kill(id: string, signal: string, all = false): Promise<void> {
    if (!signalPattern.test(signal) || signal.startsWith('-')) {
      throw invalidParameter(`invalid signal: ${JSON.stringify(signal)}`);
    }
    await this.#run(['kill', ...(all ? ['--all'] : []), checkId(id), signal]);
  }

  async delete(id: string, force = false): Promise<void> {
    try {
      await this.#run(['delete', ...(force ? ['--force'] : []), checkId(id)]);
    } catch (e) {
      if (e instanceof BerthError && e.kind === 'NotFound') return;
      throw e;
    }
  }

  async state(id: string): Promise<RuntimeState | null> {
    try {
      return toState(JSON.parse(await this.#run(['state', checkId(id)])));
    } catch (e) {
      if (e instanceof BerthError && e.kind === 'NotFound') return null;
      throw e;
    }
  }

  async list(): Promise<RuntimeState[]> {
    const parsed: unknown = JSON.parse(await this.#run(['list', '--format', 'json']));
    if (parsed === null) return []; // runc prints `null` when it knows no container
    if (!Array.isArray(parsed)) throw systemError('runc list: unexpected output');
    return parsed.map(toState);
  }

  async pause(id: string): Promise<void> {
    await this.#run(['pause', checkId(id)]);
  }

  async resume(id: string): Promise<void> {
    await this.#run(['resume', checkId(id)]);
  }

  async update(id: string, resources: object): Promise<void> {
    await this.#run(['update', '--resources', '-', checkId(id)], JSON.stringify(resources));
  }

  async pids(id: string): Promise<number[]> {
    const out = await this.#run(['ps', '--format', 'json', checkId(id)]);
    const parsed: unknown = JSON.parse(out.trim() || '[]');
    if (!Array.isArray(parsed) || !parsed.every((p) => Number.isSafeInteger(p))) {
      throw systemError(`runc ps: unexpected output: ${out.slice(0, 200)}`);
    }
    return parsed as number[];
  }

  async resize(bundleDir: string, rows: number, cols: number): Promise<void> {
    checkSize(rows, cols);
    // O_NONBLOCK: opening a FIFO for writing would block forever if conmon (its reader) is gone;
    // non-blocking, that case fails at once with ENXIO.
    let fh;
    try {
      fh = await open(join(bundleDir, 'ctl'), constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENXIO' || code === 'ENOENT') throw conflict('container is not running');
      throw systemError(`cannot resize the terminal: ${(e as Error).message}`, e);
    }
    try {
      // One write < PIPE_BUF is atomic, so concurrent resizes never interleave.
      await fh.write(`1 ${rows} ${cols}\n`);
    } finally {
      await fh.close();
    }
  }

  exec(o: RuntimeExecOptions): Promise<RuntimeExecProcess> {
    return launchConmonExec({
      conmonPath: this.#conmon,
      runtimePath: this.#runc,
      runtimeArgs: this.#globalArgs,
      options: o,
      connect: connectAttach,
    });
  }

  /** Runs one runc command; returns stdout, or throws a classified error for a non-zero exit. */
  async #run(args: string[], input?: string): Promise<string> {
    const argv = [...this.#globalArgs, ...args];
    let r;
    try {
      r = await execFile(this.#runc, argv, {
        timeoutMs: this.#timeoutMs,
        ...(input !== undefined ? { input } : {}),
      });
    } catch (e) {
      if (e instanceof ExecTimeoutError) throw systemError(`runc ${args[0]}: ${e.message}`, e);
      throw systemError(`cannot run ${this.#runc}: ${(e as Error).message}`, e);
    }
    if (r.code === 0) return r.stdout;
    const msg = cleanRuntimeMessage(r.stderr) || `runc ${args[0]} failed (exit ${r.code})`;
    throw classifyRuncError(msg);
  }
}

/** Maps runc's error text to an error kind; the text itself is kept. */
function classifyRuncError(msg: string): BerthError {
  if (/does not exist|not exist/.test(msg)) return notFound(msg);
  if (
    /not running|not paused|not stopped|is paused|already (running|paused)|cannot start/.test(msg)
  ) {
    return conflict(msg);
  }
  return systemError(msg);
}

function checkSize(rows: number, cols: number): void {
  for (const n of [rows, cols]) {
    if (!Number.isInteger(n) || n < 0 || n > 0xffff) {
      throw invalidParameter(`invalid terminal size ${rows}x${cols}`);
    }
  }
}

function checkId(id: string): string {
  if (!isValidRuntimeId(id)) throw invalidParameter(`invalid container id: ${JSON.stringify(id)}`);
  return id;
}

function toState(v: unknown): RuntimeState {
  const o = v as Record<string, unknown> | null;
  if (
    o === null ||
    typeof o !== 'object' ||
    typeof o.id !== 'string' ||
    typeof o.pid !== 'number' ||
    typeof o.status !== 'string' ||
    !statuses.has(o.status)
  ) {
    throw systemError(`runc: unexpected state output: ${JSON.stringify(v)}`);
  }
  return {
    id: o.id,
    pid: o.pid,
    status: o.status as RuntimeState['status'],
    bundle: typeof o.bundle === 'string' ? o.bundle : '',
    created: typeof o.created === 'string' ? o.created : '',
  };
}
