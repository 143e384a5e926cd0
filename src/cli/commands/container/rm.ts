import type { CliContext } from '../../context.js';
import { forEachContainer } from './lifecycle.js';

/** `berth rm [-f] [-v] CONTAINER...`. */
export function rmCommand(
  ctx: CliContext,
  opts: { force?: boolean; volumes?: boolean },
  names: string[],
): Promise<number> {
  const client = ctx.client();
  return forEachContainer(ctx, names, (n) =>
    client.containerRemove(n, { force: opts.force === true, v: opts.volumes === true }),
  );
}
