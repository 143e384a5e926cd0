import type { CliContext } from '../../context.js';
import { forEachContainer, parseSeconds } from './lifecycle.js';

/** `berth stop [-t N] CONTAINER...`. */
export function stopCommand(
  ctx: CliContext,
  opts: { time?: string },
  names: string[],
): Promise<number> {
  const t = opts.time === undefined ? undefined : parseSeconds(opts.time);
  const client = ctx.client();
  return forEachContainer(ctx, names, (n) => client.containerStop(n, t === undefined ? {} : { t }));
}
