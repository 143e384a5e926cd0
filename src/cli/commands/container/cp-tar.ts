import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/** A copy may be large, but it never hangs forever. */
const TAR_TIMEOUT_MS = 60 * 60 * 1000;

/**
 * Runs the host's GNU tar with `input` as its stdin (or none) and its stdout piped to `output`
 * (or discarded). GNU tar is what makes the host side of `cp` safe: on extraction it drops `..`
 * members and leading `/`, and creates links to absolute or `..` targets only at the end, so an
 * archive from a hostile container cannot write through them. Rejects with tar's stderr.
 */
export function runTar(args: string[], input?: Readable, output?: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', args, {
      stdio: [input ? 'pipe' : 'ignore', output ? 'pipe' : 'ignore', 'pipe'],
    });
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), TAR_TIMEOUT_MS);
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else
        reject(
          new Error(`tar: ${Buffer.concat(err).toString().trim() || `exit ${code ?? signal}`}`),
        );
    });
    if (input && child.stdin) {
      input.on('error', (e) => child.stdin?.destroy(e));
      child.stdin.on('error', () => undefined); // tar exiting early surfaces through its status
      input.pipe(child.stdin);
    }
    if (output && child.stdout) child.stdout.pipe(output, { end: false });
  });
}

/** A GNU tar `--transform` renaming the leading component `from` to `to` (sed escaping). */
export function renameTransform(from: string, to: string): string {
  const re = from.replace(/[\\^$.*[\]|]/g, (c) => `\\${c}`);
  const rep = to.replace(/[\\&|]/g, (c) => `\\${c}`);
  return `--transform=s|^${re}\\(/\\|$\\)|${rep}\\1|`;
}
