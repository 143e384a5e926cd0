import { Command, CommanderError } from 'commander';
import { ActionRunner } from './action.js';
import { registerContainerCommands } from './commands/container/register.js';
import { registerImageCommands } from './commands/image/register.js';
import { registerNetworkCommands } from './commands/network/register.js';
import { registerVolumeCommands } from './commands/volume/register.js';
import { registerInspect, registerSystemCommands } from './commands/system/register.js';
import { registerFsCommands } from './commands/container/fs-register.js';
import { registerSystemDf } from './commands/system/df-register.js';
import type { CliIo } from './context.js';
import { EXIT_ENGINE_ERROR } from './errors.js';
import { VERSION_LINE } from './version.js';

/**
 * Parses `args` (without `node` and the script) and runs the chosen command against `io`.
 * Resolves with the process exit status; never calls process.exit itself.
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const program = new Command('berth');
  const runner = new ActionRunner(io, program);
  program
    .description('A Docker-compatible container engine client')
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .exitOverride()
    .enablePositionalOptions()
    .option('-H, --host <host>', 'daemon socket to connect to (unix:///path or tcp://host:port)')
    .option('--tls', 'use TLS; implied by --tlsverify')
    .option('--tlsverify', "use TLS and verify the daemon's certificate")
    .option('--tlscacert <file>', 'trust certs signed only by this CA')
    .option('--tlscert <file>', 'path to TLS certificate file')
    .option('--tlskey <file>', 'path to TLS key file')
    .version(VERSION_LINE, '-v, --version', 'print version information and quit');

  registerContainerCommands(program, runner, false);
  registerImageCommands(program, runner, false);
  registerInspect(program, runner);
  registerSystemCommands(program, runner);
  registerFsCommands(program, runner);

  const container = program
    .command('container')
    .description('Manage containers')
    .enablePositionalOptions();
  registerContainerCommands(container, runner, true);
  registerInspect(container, runner, 'container');
  registerFsCommands(container, runner);
  const image = program.command('image').description('Manage images');
  registerImageCommands(image, runner, true);
  registerInspect(image, runner, 'image');
  registerNetworkCommands(program.command('network').description('Manage networks'), runner);
  registerVolumeCommands(program.command('volume').description('Manage volumes'), runner);
  registerSystemDf(program.command('system').description('Manage Berth'), runner);

  try {
    await program.parseAsync(args, { from: 'user' });
    return runner.exitCode;
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    // Help and version exit with commander's status; bad flags and arguments with 125 like docker.
    const informational = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
    return informational.includes(err.code) ? err.exitCode : EXIT_ENGINE_ERROR;
  } finally {
    runner.close();
  }
}
