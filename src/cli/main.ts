import type { CliIo } from './context.js';
import { runCli } from './program.js';

/** The real process's I/O for {@link runCli}. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    now: () => Date.now(),
    terminalSize: () =>
      process.stdout.isTTY ? [process.stdout.rows, process.stdout.columns] : undefined,
    signals: process,
  };
}

/**
 * Runs the CLI in this process and exits with its status once stdout has been flushed (exiting
 * explicitly: an attached stdin or a lingering socket must not keep a finished command alive).
 */
export async function main(args: readonly string[]): Promise<never> {
  let code: number;
  try {
    code = await runCli(args, processIo());
  } catch (err) {
    process.stderr.write(
      `berth: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    code = 1;
  }
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}
