import type { Readable, Writable } from 'node:stream';
import type { BerthClient } from '../client/index.js';

/** The terminal-ish parts of stdin that `run -it` uses when present. */
export interface CliStdin extends Readable {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/**
 * Everything a command touches outside itself, injected so commands run the same in tests as in
 * the real process.
 */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: CliStdin;
  env: Record<string, string | undefined>;
  /** Milliseconds since the epoch ("now" for CREATED columns and `--since 10m`). */
  now(): number;
  /** The local terminal's [rows, columns] when stdout is a terminal. */
  terminalSize?(): [number, number] | undefined;
  /** Emits SIGINT/SIGTERM to forward to a running container (the process, in production). */
  signals?: NodeJS.EventEmitter;
}

/** What a command receives: its I/O and a lazily created client. */
export interface CliContext {
  io: CliIo;
  client(): BerthClient;
}
