import type { CliContext } from '../../context.js';
import { formatInfo } from '../../format/system.js';
import { CLI_VERSION } from '../../version.js';

/** `berth info`: a short summary of the daemon. */
export async function infoCommand(ctx: CliContext): Promise<number> {
  const info = await ctx.client().info();
  ctx.io.stdout.write(formatInfo(CLI_VERSION, info));
  return 0;
}
