import { DEFAULT_API_VERSION, type SystemVersion } from '../../../client/index.js';
import type { CliContext } from '../../context.js';
import { reportError } from '../../errors.js';
import { formatVersion } from '../../format/system.js';
import { CLI_VERSION } from '../../version.js';

const goArch: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' };

/** `berth version`: client details, then the daemon's (or the error reaching it, exit 1). */
export async function versionCommand(ctx: CliContext): Promise<number> {
  let server: SystemVersion | undefined;
  let failure: unknown;
  try {
    server = await ctx.client().version();
  } catch (err) {
    failure = err;
  }
  const client = {
    version: CLI_VERSION,
    apiVersion: DEFAULT_API_VERSION,
    nodeVersion: process.version,
    os: process.platform,
    arch: goArch[process.arch] ?? process.arch,
  };
  ctx.io.stdout.write(formatVersion(client, server));
  if (failure === undefined) return 0;
  reportError(ctx.io, failure);
  return 1;
}
