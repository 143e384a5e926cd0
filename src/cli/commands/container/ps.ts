import type { CliContext } from '../../context.js';
import { formatContainerTable } from '../../format/containers.js';
import { shortId } from '../../format/text.js';

/** `berth ps` flags. */
export interface PsOptions {
  all?: boolean;
  quiet?: boolean;
  noTrunc?: boolean;
  /** -s: a SIZE column (writable layer, and the virtual total). */
  size?: boolean;
}

/** `berth ps`: running containers (all with -a) as docker's table, or ids with -q. */
export async function psCommand(ctx: CliContext, opts: PsOptions): Promise<number> {
  const size = opts.size === true;
  const list = await ctx
    .client()
    .containerList({ all: opts.all === true, ...(size ? { size: true } : {}) });
  if (opts.quiet === true) {
    for (const c of list)
      ctx.io.stdout.write(`${opts.noTrunc === true ? c.Id : shortId(c.Id ?? '')}\n`);
  } else {
    ctx.io.stdout.write(
      formatContainerTable(list, { now: ctx.io.now(), noTrunc: opts.noTrunc === true, size }),
    );
  }
  return 0;
}
