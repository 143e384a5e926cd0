import type { Command } from 'commander';
import type { ActionRunner } from '../../action.js';
import { collect } from '../../action.js';

/** Adds `save`, `load` and `import` to `parent` (top level or under `berth image`). */
export function registerImageArchiveVerbs(parent: Command, runner: ActionRunner): void {
  parent
    .command('save')
    .description('Save one or more images to a tar archive (streamed to STDOUT by default)')
    .argument('<image...>', 'images to save')
    .option('-o, --output <file>', 'write to a file instead of STDOUT')
    .action(async (names: string[], flags: { output?: string }, cmd: Command) =>
      runner.run(cmd, 1, async (ctx) =>
        (await import('./archive.js')).saveCommand(ctx, names, flags),
      ),
    );
  parent
    .command('load')
    .description('Load an image from a tar archive or STDIN')
    .option('-i, --input <file>', 'read from a tar archive file instead of STDIN')
    .option('-q, --quiet', 'suppress the load output')
    .action(async (flags: { input?: string; quiet?: boolean }, cmd: Command) =>
      runner.run(cmd, 1, async (ctx) => (await import('./archive.js')).loadCommand(ctx, flags)),
    );
  parent
    .command('import')
    .description('Import the contents from a tarball to create a filesystem image')
    .argument('<file>', 'tar file, or - for STDIN')
    .argument('[repository]', 'REPOSITORY[:TAG]')
    .option(
      '-c, --change <instruction>',
      'apply a Dockerfile instruction to the image',
      collect,
      [],
    )
    .option('-m, --message <message>', 'commit message for the imported image')
    .action(
      async (
        file: string,
        ref: string | undefined,
        flags: { change: string[]; message?: string },
        cmd: Command,
      ) =>
        runner.run(cmd, 1, async (ctx) =>
          (await import('./archive.js')).importCommand(ctx, file, ref, flags),
        ),
    );
}

/** Adds `export` to `parent` (top level or under `berth container`). */
export function registerExportVerb(parent: Command, runner: ActionRunner): void {
  parent
    .command('export')
    .description("Export a container's filesystem as a tar archive")
    .argument('<container>')
    .option('-o, --output <file>', 'write to a file instead of STDOUT')
    .action(async (id: string, flags: { output?: string }, cmd: Command) =>
      runner.run(cmd, 1, async (ctx) =>
        (await import('./archive.js')).exportCommand(ctx, id, flags),
      ),
    );
}
