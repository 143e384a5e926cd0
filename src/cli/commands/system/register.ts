import type { Command } from 'commander';
import type { ActionRunner } from '../../action.js';
import { collect } from '../../action.js';

/**
 * Adds `inspect` to `parent`. `fixedType` makes it the `container inspect` / `image inspect`
 * variant (no --type flag, one kind of object only).
 */
export function registerInspect(
  parent: Command,
  runner: ActionRunner,
  fixedType?: 'container' | 'image',
): void {
  const cmd = parent
    .command('inspect')
    .description(`Display detailed information on ${fixedType ?? 'container or image'} objects`)
    .argument('<names...>');
  if (fixedType === undefined) cmd.option('--type <type>', 'only inspect objects of this type');
  cmd.action(async (names: string[], flags: { type?: string }, c: Command) =>
    runner.run(c, 1, async (ctx) => {
      const { inspectCommand } = await import('./inspect.js');
      const type = fixedType ?? flags.type;
      return inspectCommand(ctx, type === undefined ? {} : { type }, names);
    }),
  );
}

/** Adds `version` and `info` to `parent`. */
export function registerSystemCommands(parent: Command, runner: ActionRunner): void {
  parent
    .command('version')
    .description('Show the berth version information')
    .action(async (_flags: unknown, c: Command) =>
      runner.run(c, 1, async (ctx) => (await import('./version.js')).versionCommand(ctx)),
    );
  parent
    .command('info')
    .description('Display system-wide information')
    .action(async (_flags: unknown, c: Command) =>
      runner.run(c, 1, async (ctx) => (await import('./info.js')).infoCommand(ctx)),
    );
  parent
    .command('events')
    .description('Get real time events from the server')
    .option('--since <time>', 'show all events created since timestamp')
    .option('--until <time>', 'stream events until this timestamp')
    .option('-f, --filter <filter>', 'filter output based on conditions provided', collect, [])
    .action(async (flags: { since?: string; until?: string; filter: string[] }, c: Command) =>
      runner.run(c, 1, async (ctx) => (await import('./events.js')).eventsCommand(ctx, flags)),
    );
}
