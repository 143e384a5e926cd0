import type { Command } from 'commander';
import type { ActionRunner } from '../../action.js';
import { collect } from '../../action.js';
import type { VolumeCreateOptions } from './verbs.js';

const verbs = () => import('./verbs.js');

/** Adds `berth volume create|ls|inspect|rm|prune` under `parent`. */
export function registerVolumeCommands(parent: Command, runner: ActionRunner): void {
  parent
    .command('create')
    .description('Create a volume')
    .argument('[volume]')
    .option('-d, --driver <driver>', 'specify volume driver name', 'local')
    .option('--label <label>', 'set metadata for a volume', collect, [])
    .option('-o, --opt <opt>', 'set driver specific options', collect, [])
    .action(async (name: string | undefined, f: VolumeCreateOptions, c: Command) =>
      runner.run(c, 1, async (ctx) => (await verbs()).volumeCreateCommand(ctx, name, f)),
    );
  parent
    .command('ls')
    .alias('list')
    .description('List volumes')
    .option('-q, --quiet', 'only display volume names')
    .option('-f, --filter <filter>', 'provide filter values (e.g. "dangling=true")', collect, [])
    .action(async (f: { quiet?: boolean; filter: string[] }, c: Command) =>
      runner.run(c, 1, async (ctx) => (await verbs()).volumeLsCommand(ctx, f)),
    );
  parent
    .command('inspect')
    .description('Display detailed information on one or more volumes')
    .argument('<volumes...>')
    .action(async (names: string[], _f: unknown, c: Command) =>
      runner.run(c, 1, async (ctx) => (await verbs()).volumeInspectCommand(ctx, names)),
    );
  parent
    .command('rm')
    .alias('remove')
    .description('Remove one or more volumes')
    .argument('<volumes...>')
    .option('-f, --force', 'force the removal of one or more volumes')
    .action(async (names: string[], f: { force?: boolean }, c: Command) =>
      runner.run(c, 1, async (ctx) => (await verbs()).volumeRmCommand(ctx, names, f)),
    );
  parent
    .command('prune')
    .description('Remove unused local volumes (anonymous only unless --all)')
    .option('-a, --all', 'remove all unused volumes, not just anonymous ones')
    .option('-f, --force', 'do not prompt for confirmation (berth never prompts)')
    .option('--filter <filter>', 'provide filter values (e.g. "label=<label>")', collect, [])
    .action(async (f: { all?: boolean; filter: string[] }, c: Command) =>
      runner.run(c, 1, async (ctx) => (await verbs()).volumePruneCommand(ctx, f)),
    );
}
