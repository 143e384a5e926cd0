import { ApiError } from '../client/index.js';
import type { CliIo } from './context.js';

/** Docker's exit status for errors of the CLI or the daemon itself (not the container's). */
export const EXIT_ENGINE_ERROR = 125;

/** A mistake in the command line (bad flag value, wrong argument count): exit 125 like docker. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The text docker prints for an error: daemon errors get "Error response from daemon: ". */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return `Error response from daemon: ${err.message}`;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Prints `berth: <description>` to stderr. */
export function reportError(io: CliIo, err: unknown): void {
  io.stderr.write(`berth: ${describeError(err)}\n`);
}

/** Writes `data` and resolves once the stream can take more (backpressure for piped output). */
export function writeAll(stream: NodeJS.WritableStream, data: Buffer | string): Promise<void> {
  if (stream.write(data)) return Promise.resolve();
  return new Promise((resolve) => stream.once('drain', resolve));
}
