import type { Command } from 'commander';
import { BerthClient, resolveEndpoint, type TlsFlags } from '../client/index.js';
import type { CliContext, CliIo } from './context.js';
import { EXIT_ENGINE_ERROR, reportError, UsageError } from './errors.js';

/**
 * Glue between commander and the command modules: builds the context lazily (the client only
 * when a command asks for it) and turns a command's outcome into an exit status.
 */
export class ActionRunner {
  /** The exit status of the command that ran (0 until one sets it). */
  exitCode = 0;
  private clientInstance: BerthClient | undefined;

  constructor(
    private readonly io: CliIo,
    private readonly root: Command,
  ) {}

  /**
   * Runs `body` with the context; thrown errors print as `berth: ...` and exit with
   * `errorExit` (125 for run, like docker; 1 elsewhere), usage errors with 125.
   */
  async run(
    command: Command,
    errorExit: number,
    body: (ctx: CliContext) => Promise<number>,
  ): Promise<void> {
    try {
      this.exitCode = await body(this.context());
    } catch (err) {
      reportError(this.io, err);
      if (err instanceof UsageError) {
        this.io.stderr.write(`See '${commandPath(command)} --help'.\n`);
        this.exitCode = EXIT_ENGINE_ERROR;
      } else this.exitCode = errorExit;
    }
  }

  /** Releases the client's idle connections. */
  close(): void {
    this.clientInstance?.close();
  }

  private context(): CliContext {
    return {
      io: this.io,
      client: () => {
        if (this.clientInstance === undefined) {
          const flags = this.root.opts<TlsFlags & { host?: string }>();
          const endpoint = resolveEndpoint({ ...flags, env: this.io.env });
          this.clientInstance = new BerthClient({ endpoint });
        }
        return this.clientInstance;
      },
    };
  }
}

/** `berth container run` for error hints. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Commander collector for repeatable options (`-e A -e B`). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
