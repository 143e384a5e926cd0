import type { CliContext } from '../../context.js';

const kinds = ['C', 'A', 'D'];

/** `berth diff`: the container's filesystem changes, one `C|A|D path` line each, as docker. */
export async function diffCommand(ctx: CliContext, id: string): Promise<number> {
  for (const c of await ctx.client().containerChanges(id))
    ctx.io.stdout.write(`${kinds[c.Kind] ?? '?'} ${c.Path}\n`);
  return 0;
}
