#!/usr/bin/env node
/**
 * `berth` entry point: argument dispatch only. `--version` is answered before anything else is
 * loaded (it must cost about as much as starting node); every other command loads the CLI, which
 * in turn imports only the module of the command that runs.
 */
import { VERSION_LINE } from '../src/cli/version.js';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  process.stdout.write(`${VERSION_LINE}\n`);
} else {
  const { main } = await import('../src/cli/main.js');
  await main(args);
}
