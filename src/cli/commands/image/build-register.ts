import type { Command } from 'commander';
import type { ActionRunner } from '../../action.js';
import { collect } from '../../action.js';
import type { BuildFlags, CommitFlags } from './build.js';

/**
 * Adds `build` to `parent` (top level or under `berth image`), and `commit` at the top level
 * (`grouped` false). The module is imported only when the verb runs.
 */
export function registerBuildVerbs(parent: Command, runner: ActionRunner, grouped: boolean): void {
  parent
    .command('build')
    .description('Build an image from a Dockerfile (the classic builder)')
    .argument('<path>', 'the build context directory')
    .option('-t, --tag <name>', 'name and optionally a tag (name:tag); repeatable', collect, [])
    .option('-f, --file <file>', 'name of the Dockerfile (default PATH/Dockerfile)')
    .option('--build-arg <arg>', 'set a build-time variable (KEY=value)', collect, [])
    .option('--label <label>', 'set metadata on the image (KEY=value)', collect, [])
    .option('--no-cache', 'do not use the cache when building the image')
    .option('--target <stage>', 'build up to this stage')
    .option('-q, --quiet', 'print only the image id')
    .option('--pull', 'always pull the base images')
    .option('--no-rm', 'keep the intermediate containers of successful steps')
    .option('--force-rm', 'always remove intermediate containers')
    .option('--network <mode>', 'network mode of the RUN steps (default, bridge, none, host)')
    .option('--platform <platform>', 'platform to build for (only the host platform)')
    .action(async (path: string, flags: BuildFlags, cmd: Command) =>
      runner.run(cmd, 1, async (ctx) =>
        (await import('./build.js')).buildCommand(ctx, path, flags),
      ),
    );
  if (grouped) return;
  parent
    .command('commit')
    .description("Create a new image from a container's changes")
    .argument('<container>')
    .argument('[repository]', 'REPOSITORY[:TAG]')
    .option(
      '-c, --change <instruction>',
      'apply a Dockerfile instruction to the image',
      collect,
      [],
    )
    .option('-m, --message <message>', 'commit message')
    .option('-a, --author <author>', 'author (e.g. "Jane Doe <jane@example.com>")')
    .option('--no-pause', 'do not pause the container while committing')
    .action(async (container: string, ref: string | undefined, flags: CommitFlags, cmd: Command) =>
      runner.run(cmd, 1, async (ctx) =>
        (await import('./build.js')).commitCommand(ctx, container, ref, flags),
      ),
    );
}
