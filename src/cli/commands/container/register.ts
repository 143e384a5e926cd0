import type { Command } from 'commander';
import type { ActionRunner } from '../../action.js';
import { collect } from '../../action.js';
import { EXIT_ENGINE_ERROR } from '../../errors.js';
import { registerExecCommand } from './exec-register.js';
import { registerExportVerb } from '../image/archive-register.js';
import type { LogsOptions } from './logs.js';

/** Raw commander flags of `run`, before they become {@link RunOptions}. */
interface RunFlags {
  detach?: boolean;
  rm?: boolean;
  name?: string;
  env: string[];
  workdir?: string;
  user?: string;
  entrypoint?: string;
  interactive?: boolean;
  tty?: boolean;
  network?: string;
  detachKeys?: string;
  dns: string[];
  dnsSearch: string[];
  dnsOption: string[];
  addHost: string[];
  hostname?: string;
  domainname?: string;
  volume: string[];
  mount: string[];
  tmpfs: string[];
  volumesFrom: string[];
  logDriver?: string;
  logOpt: string[];
}

/**
 * Adds the container verbs to `parent`. With `grouped` (under `berth container`) `ps` is named
 * `ls` (aliases `ps`, `list`) and `rm` gets the alias `remove`, as in docker. Each verb's module
 * is imported only when it runs.
 */
export function registerContainerCommands(
  parent: Command,
  runner: ActionRunner,
  grouped: boolean,
): void {
  parent
    .command('run')
    .description('Create and run a new container from an image')
    .argument('<image>', 'image to run')
    .argument('[command...]', 'command and arguments for the container')
    .passThroughOptions()
    .option('-d, --detach', 'run in the background and print the container id')
    .option('--rm', 'remove the container when it exits')
    .option('--name <name>', 'assign a name to the container')
    .option('-e, --env <var>', 'set an environment variable (repeatable)', collect, [])
    .option('-w, --workdir <dir>', 'working directory inside the container')
    .option('-u, --user <user>', 'user name or UID[:GID]')
    .option('--entrypoint <cmd>', "overwrite the image's default entrypoint")
    .option('-i, --interactive', 'keep STDIN open and attach it')
    .option('-t, --tty', 'allocate a pseudo-TTY')
    .option('--network <mode>', 'connect the container to a network')
    .option('-p, --publish <spec>', "publish a container's port(s) to the host", collect, [])
    .option('-P, --publish-all', 'publish all exposed ports to random ports')
    .option('--expose <port>', 'expose a port or a range of ports', collect, [])
    .option('--ip <ip>', 'IPv4 address (e.g. 172.30.100.104)')
    .option('--network-alias <alias>', 'add network-scoped alias for the container', collect, [])
    .option('--link <name:alias>', 'add link to another container', collect, [])
    .option('--detach-keys <keys>', 'override the key sequence for detaching a container')
    .option('--dns <ip>', 'set a custom DNS server (repeatable)', collect, [])
    .option('--dns-search <domain>', 'set a custom DNS search domain (repeatable)', collect, [])
    .option('--dns-option <opt>', 'set a DNS option (repeatable)', collect, [])
    .option('--add-host <host:ip>', 'add a custom host-to-IP mapping (repeatable)', collect, [])
    .option('--hostname <name>', 'container host name')
    .option('--domainname <name>', 'container NIS domain name')
    .option('-v, --volume <spec>', 'bind mount a volume (repeatable)', collect, [])
    .option('--mount <spec>', 'attach a filesystem mount to the container', collect, [])
    .option('--tmpfs <dst[:opts]>', 'mount a tmpfs directory', collect, [])
    .option('--volumes-from <container[:ro|rw]>', 'mount volumes from a container', collect, [])
    .option('--log-driver <driver>', 'logging driver for the container (json-file, local, none)')
    .option('--log-opt <key=value>', 'log driver option (repeatable)', collect, [])
    .action(async (image: string, command: string[], flags: RunFlags, cmd: Command) =>
      runner.run(cmd, EXIT_ENGINE_ERROR, async (ctx) => {
        const { runCommand } = await import('./run.js');
        const size = ctx.io.terminalSize?.();
        return runCommand(ctx, {
          ...flags,
          image,
          command,
          ...(size ? { consoleSize: size } : {}),
        });
      }),
    );

  const ps = parent.command(grouped ? 'ls' : 'ps').description('List containers');
  if (grouped) ps.aliases(['ps', 'list']);
  ps.option('-a, --all', 'show all containers (default shows just running)')
    .option('-q, --quiet', 'only display container ids')
    .option('--no-trunc', "don't truncate output")
    .option('-s, --size', 'display total file sizes')
    .action(
      async (
        flags: { all?: boolean; quiet?: boolean; trunc?: boolean; size?: boolean },
        cmd: Command,
      ) =>
        runner.run(cmd, 1, async (ctx) => {
          const { psCommand } = await import('./ps.js');
          return psCommand(ctx, { ...flags, noTrunc: flags.trunc === false });
        }),
    );

  registerExecCommand(parent, runner);
  registerExportVerb(parent, runner);

  parent
    .command('logs')
    .description('Fetch the logs of a container')
    .argument('<container>')
    .option('-f, --follow', 'follow log output')
    .option('-t, --timestamps', 'show timestamps')
    .option('-n, --tail <lines>', 'number of lines to show from the end of the logs', 'all')
    .option('--since <time>', 'logs since a timestamp or relative duration (e.g. 42m)')
    .option('--until <time>', 'logs before a timestamp or relative duration')
    .action(async (container: string, flags: LogsOptions, cmd: Command) =>
      runner.run(cmd, 1, async (ctx) => {
        const { logsCommand } = await import('./logs.js');
        return logsCommand(ctx, flags, container);
      }),
    );

  parent
    .command('attach')
    .description('Attach local standard input, output, and error streams to a running container')
    .argument('<container>')
    .option('--no-stdin', 'do not attach STDIN')
    .option('--detach-keys <keys>', 'override the key sequence for detaching a container')
    .option('--sig-proxy <bool>', 'proxy all received signals to the process', 'true')
    .action(
      async (
        container: string,
        flags: { stdin?: boolean; detachKeys?: string; sigProxy: string },
        cmd: Command,
      ) =>
        runner.run(cmd, 1, async (ctx) => {
          const { attachCommand } = await import('./attach.js');
          const { sigProxy, ...rest } = flags;
          return attachCommand(ctx, { ...rest, sigProxy: sigProxy !== 'false' }, container);
        }),
    );

  parent
    .command('start')
    .description('Start one or more stopped containers')
    .argument('<containers...>')
    .option('-a, --attach', "attach STDOUT/STDERR and exit with the container's status")
    .action(async (names: string[], flags: { attach?: boolean }, cmd: Command) =>
      runner.run(cmd, 1, async (ctx) =>
        (await import('./start.js')).startCommand(ctx, flags, names),
      ),
    );

  parent
    .command('stop')
    .description('Stop one or more running containers')
    .argument('<containers...>')
    .option('-t, --time <seconds>', 'seconds to wait before killing the container')
    .action(async (names: string[], flags: { time?: string }, cmd: Command) =>
      runner.run(cmd, 1, async (ctx) => (await import('./stop.js')).stopCommand(ctx, flags, names)),
    );

  const rm = parent.command('rm').description('Remove one or more containers');
  if (grouped) rm.alias('remove');
  rm.argument('<containers...>')
    .option('-f, --force', 'force the removal of a running container')
    .option('-v, --volumes', 'remove anonymous volumes associated with the container')
    .action(async (names: string[], flags: { force?: boolean; volumes?: boolean }, cmd: Command) =>
      runner.run(cmd, 1, async (ctx) => (await import('./rm.js')).rmCommand(ctx, flags, names)),
    );
  parent
    .command('stats')
    .description('Display a live stream of container(s) resource usage statistics')
    .argument('[containers...]')
    .option('-a, --all', 'show all containers (default shows just running)')
    .option('--no-stream', 'disable streaming stats and only pull the first result')
    .action(async (names: string[], flags: { all?: boolean; stream?: boolean }, cmd: Command) =>
      runner.run(cmd, 1, async (ctx) =>
        (await import('./stats.js')).statsCommand(
          ctx,
          { noStream: flags.stream === false, all: flags.all === true },
          names,
        ),
      ),
    );
}
