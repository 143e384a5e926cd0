import type { Command } from 'commander';
import type { ActionRunner } from '../../action.js';
import { collect } from '../../action.js';
import type { NetworkCreateOptions } from './verbs.js';

const verbs = () => import('./verbs.js');

/** Adds `berth network create|ls|inspect|rm|prune|connect|disconnect` under `parent`. */
export function registerNetworkCommands(parent: Command, runner: ActionRunner): void {
  parent
    .command('create')
    .description('Create a network')
    .argument('<network>')
    .option('-d, --driver <driver>', 'driver to manage the network', 'bridge')
    .option('--subnet <cidr>', 'subnet in CIDR format')
    .option('--gateway <ip>', 'IPv4 gateway for the subnet')
    .option('--ip-range <cidr>', 'allocate container IPs from a sub-range')
    .option('--internal', 'restrict external access to the network')
    .option('--attachable', 'enable manual container attachment')
    .option('--label <label>', 'set metadata on a network', collect, [])
    .option('-o, --opt <opt>', 'set driver specific options', collect, [])
    .action(async (name: string, f: NetworkCreateOptions, c: Command) =>
      runner.run(c, 1, async (ctx) => (await verbs()).networkCreateCommand(ctx, name, f)),
    );
  parent
    .command('ls')
    .alias('list')
    .description('List networks')
    .option('-q, --quiet', 'only display network IDs')
    .option('--no-trunc', 'do not truncate the output')
    .option('-f, --filter <filter>', 'provide filter values (e.g. "driver=bridge")', collect, [])
    .action(async (f: { quiet?: boolean; trunc?: boolean; filter: string[] }, c: Command) =>
      runner.run(c, 1, async (ctx) =>
        (await verbs()).networkLsCommand(ctx, { ...f, noTrunc: f.trunc === false }),
      ),
    );
  parent
    .command('inspect')
    .description('Display detailed information on one or more networks')
    .argument('<networks...>')
    .action(async (names: string[], _f: unknown, c: Command) =>
      runner.run(c, 1, async (ctx) => (await verbs()).networkInspectCommand(ctx, names)),
    );
  parent
    .command('rm')
    .alias('remove')
    .description('Remove one or more networks')
    .argument('<networks...>')
    .action(async (names: string[], _f: unknown, c: Command) =>
      runner.run(c, 1, async (ctx) => (await verbs()).networkRmCommand(ctx, names)),
    );
  parent
    .command('prune')
    .description('Remove all unused networks')
    .option('-f, --force', 'do not prompt for confirmation (berth never prompts)')
    .option('--filter <filter>', 'provide filter values (e.g. "until=<timestamp>")', collect, [])
    .action(async (f: { filter: string[] }, c: Command) =>
      runner.run(c, 1, async (ctx) => (await verbs()).networkPruneCommand(ctx, f)),
    );
  parent
    .command('connect')
    .description('Connect a container to a network')
    .argument('<network>')
    .argument('<container>')
    .option('--ip <ip>', 'IPv4 address')
    .option('--alias <alias>', 'add network-scoped alias for the container', collect, [])
    .action(async (n: string, ctr: string, f: { ip?: string; alias: string[] }, c: Command) =>
      runner.run(c, 1, async (ctx) => (await verbs()).networkConnectCommand(ctx, n, ctr, f)),
    );
  parent
    .command('disconnect')
    .description('Disconnect a container from a network')
    .argument('<network>')
    .argument('<container>')
    .option('-f, --force', 'force the container to disconnect from a network')
    .action(async (n: string, ctr: string, f: { force?: boolean }, c: Command) =>
      runner.run(c, 1, async (ctx) => (await verbs()).networkDisconnectCommand(ctx, n, ctr, f)),
    );
}
