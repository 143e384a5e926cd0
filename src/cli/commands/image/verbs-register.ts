import type { Command } from 'commander';
import type { ActionRunner } from '../../action.js';
import { collect } from '../../action.js';

/**
 * Adds the image verbs to `parent`: at the top level `tag`, `rmi`, `history`, `push`; under
 * `berth image` (`grouped`) `tag`, `rm` (alias `remove`), `history`, `prune`, `push`.
 * Modules are imported only when a verb runs.
 */
export function registerImageVerbs(parent: Command, runner: ActionRunner, grouped: boolean): void {
  parent
    .command('tag')
    .description('Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE')
    .argument('<source>')
    .argument('<target>')
    .action(async (source: string, target: string, _f: unknown, c: Command) =>
      runner.run(c, 1, async (ctx) => (await import('./verbs.js')).tagCommand(ctx, source, target)),
    );
  const rm = parent.command(grouped ? 'rm' : 'rmi').description('Remove one or more images');
  if (grouped) rm.alias('remove');
  rm.argument('<images...>')
    .option('-f, --force', 'force removal of the image')
    .option('--no-prune', 'do not delete untagged parents')
    .action(async (names: string[], f: { force?: boolean; prune?: boolean }, c: Command) =>
      runner.run(c, 1, async (ctx) =>
        (await import('./verbs.js')).rmiCommand(ctx, names, {
          force: f.force === true,
          noPrune: f.prune === false,
        }),
      ),
    );
  parent
    .command('history')
    .description('Show the history of an image')
    .argument('<image>')
    .option('--no-trunc', "don't truncate output")
    .option('-q, --quiet', 'only show image ids')
    .option('-H, --human <bool>', 'print sizes and dates in human readable format', 'true')
    .action(
      async (name: string, f: { trunc?: boolean; quiet?: boolean; human: string }, c: Command) =>
        runner.run(c, 1, async (ctx) =>
          (await import('./verbs.js')).historyCommand(ctx, name, {
            noTrunc: f.trunc === false,
            quiet: f.quiet === true,
            human: f.human !== 'false',
          }),
        ),
    );
  if (grouped)
    parent
      .command('prune')
      .description('Remove unused images')
      .option('-a, --all', 'remove all unused images, not just dangling ones')
      .option('-f, --force', 'do not prompt for confirmation (berth never prompts)')
      .option('--filter <filter>', 'provide filter values (e.g. "until=<timestamp>")', collect, [])
      .action(async (f: { all?: boolean; filter: string[] }, c: Command) =>
        runner.run(c, 1, async (ctx) =>
          (await import('./verbs.js')).imagePruneCommand(ctx, {
            all: f.all === true,
            filter: f.filter,
          }),
        ),
      );
  parent
    .command('push')
    .description('Upload an image to a registry')
    .argument('<name>')
    .action(async (name: string, _f: unknown, c: Command) =>
      runner.run(c, 1, async (ctx) => (await import('./push.js')).pushCommand(ctx, name)),
    );
}
