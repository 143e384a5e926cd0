import type { Command } from 'commander';
import type { ActionRunner } from '../../action.js';

/** Adds `cp` and `diff` to `parent` (top level or under `berth container`). */
export function registerFsCommands(parent: Command, runner: ActionRunner): void {
  parent
    .command('cp')
    .description(
      'Copy files/folders between a container and the local filesystem (- for a tar on STDIN/STDOUT)',
    )
    .argument('<src>', 'CONTAINER:SRC_PATH, SRC_PATH or -')
    .argument('<dest>', 'CONTAINER:DEST_PATH, DEST_PATH or -')
    .option('-a, --archive', 'archive mode (copy all uid/gid information)')
    .option('-L, --follow-link', 'always follow symbol link in SRC_PATH')
    .action(
      async (
        src: string,
        dest: string,
        flags: { archive?: boolean; followLink?: boolean },
        cmd: Command,
      ) =>
        runner.run(cmd, 1, async (ctx) =>
          (await import('./cp.js')).cpCommand(ctx, src, dest, flags),
        ),
    );
  parent
    .command('diff')
    .description("Inspect changes to files or directories on a container's filesystem")
    .argument('<container>')
    .action(async (id: string, _flags: unknown, cmd: Command) =>
      runner.run(cmd, 1, async (ctx) => (await import('./diff.js')).diffCommand(ctx, id)),
    );
}
