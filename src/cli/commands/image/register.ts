import type { Command } from 'commander';
import type { ActionRunner } from '../../action.js';
import { registerImageVerbs } from './verbs-register.js';
import { registerImageArchiveVerbs } from './archive-register.js';
import { registerBuildVerbs } from './build-register.js';

/**
 * Adds `images` to `parent`, or with `grouped` (under `berth image`) `ls` (alias `list`).
 * The module is imported only when the verb runs.
 */
export function registerImageCommands(
  parent: Command,
  runner: ActionRunner,
  grouped: boolean,
): void {
  const list = parent.command(grouped ? 'ls' : 'images').description('List images');
  if (grouped) list.alias('list');
  list
    .option('-a, --all', 'show all images (default hides intermediate images)')
    .option('-q, --quiet', 'only show image ids')
    .option('--no-trunc', "don't truncate output")
    .action(async (flags: { all?: boolean; quiet?: boolean; trunc?: boolean }, cmd: Command) =>
      runner.run(cmd, 1, async (ctx) => {
        const { imagesCommand } = await import('./list.js');
        return imagesCommand(ctx, { ...flags, noTrunc: flags.trunc === false });
      }),
    );
  registerImageVerbs(parent, runner, grouped);
  registerImageArchiveVerbs(parent, runner);
  registerBuildVerbs(parent, runner, grouped);
  parent
    .command('pull')
    .description('Download an image from a registry')
    .argument('<name>', 'NAME[:TAG|@DIGEST]')
    .option('--platform <platform>', 'os/arch[/variant] to pull from a multi-platform image')
    .option('-q, --quiet', 'suppress verbose output')
    .action(async (name: string, flags: { platform?: string; quiet?: boolean }, cmd: Command) =>
      runner.run(cmd, 1, async (ctx) => {
        const { pullCommand } = await import('./pull.js');
        return pullCommand(ctx, name, flags);
      }),
    );
}
