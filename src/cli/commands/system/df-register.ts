import type { Command } from 'commander';
import type { ActionRunner } from '../../action.js';

/** Adds `df` to `parent` (`berth system`). */
export function registerSystemDf(parent: Command, runner: ActionRunner): void {
  parent
    .command('df')
    .description('Show docker disk usage')
    .option('-v, --verbose', 'show detailed information on space usage')
    .action(async (flags: { verbose?: boolean }, cmd: Command) =>
      runner.run(cmd, 1, async (ctx) => (await import('./df.js')).dfCommand(ctx, flags)),
    );
}
