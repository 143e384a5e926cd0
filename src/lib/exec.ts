import { spawn, type SpawnOptions } from 'node:child_process';

/** The result of a finished child process. */
export interface ExecResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Milliseconds before the child is killed with SIGKILL. Every call has one. */
  timeoutMs: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
}

/** Thrown when a child outlives its deadline. */
export class ExecTimeoutError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly timeoutMs: number,
  ) {
    super(`${argv.join(' ')}: timed out after ${timeoutMs} ms`);
  }
}

/**
 * Runs `file args` to completion with a hard deadline and collects its output. Never throws for a
 * non-zero exit: callers decide what an exit code means. Rejects on spawn failure or timeout.
 */
export function execFile(
  file: string,
  args: readonly string[],
  opts: ExecOptions,
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const spawnOpts: SpawnOptions = {
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    };
    if (opts.cwd !== undefined) spawnOpts.cwd = opts.cwd;
    if (opts.env !== undefined) spawnOpts.env = opts.env;
    const child = spawn(file, args, spawnOpts);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(new ExecTimeoutError([file, ...args], opts.timeoutMs));
      else
        resolve({
          code,
          signal,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        });
    });
    if (opts.input !== undefined) {
      // A program may exit without reading all its input (EPIPE): its exit status tells.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(opts.input);
    }
  });
}
