import type { Command } from 'commander';
import type { ActionRunner } from '../../action.js';
import { collect } from '../../action.js';
import type { ExecOptions } from './exec.js';

/** Adds `exec` to `parent` (top level and under `berth container`). */
export function registerExecCommand(parent: Command, runner: ActionRunner): void {
  parent
    .command('exec')
    .description('Execute a command in a running container')
    .argument('<container>')
    .argument('<command...>', 'command and arguments to run')
    .passThroughOptions()
    .option('-i, --interactive', 'keep STDIN open even if not attached')
    .option('-t, --tty', 'allocate a pseudo-TTY')
    .option('-d, --detach', 'detached mode: run command in the background')
    .option('-u, --user <user>', 'username or UID (format: "<name|uid>[:<group|gid>]")')
    .option('-w, --workdir <dir>', 'working directory inside the container')
    .option('-e, --env <var>', 'set an environment variable (repeatable)', collect, [])
    .option('--privileged', 'give extended privileges to the command')
    .option('--detach-keys <keys>', 'override the key sequence for detaching')
    .action(async (container: string, command: string[], flags: ExecOptions, cmd: Command) =>
      runner.run(cmd, 1, async (ctx) => {
        const { execCommand } = await import('./exec.js');
        const size = ctx.io.terminalSize?.();
        return execCommand(
          ctx,
          { ...flags, ...(size ? { consoleSize: size } : {}) },
          container,
          command,
        );
      }),
    );
}
