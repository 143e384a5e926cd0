import type { CliContext } from '../../context.js';
import { formatStatsTable, statsRow, type StatsRow } from '../../format/stats.js';

/** `berth stats` flags. */
export interface StatsOptions {
  noStream?: boolean;
  all?: boolean;
}

/** One sample of each container (stream=false: the daemon samples twice, a second apart). */
async function sampleAll(ctx: CliContext, ids: string[]): Promise<StatsRow[]> {
  const client = ctx.client();
  return Promise.all(
    ids.map(async (id) => {
      for await (const s of await client.containerStats(id, { stream: false })) return statsRow(s);
      return statsRow({ id, name: '' });
    }),
  );
}

/**
 * `berth stats [CONTAINER...]`: docker's resource table for the named containers, or the running
 * ones (all with -a). With --no-stream one table; otherwise a table per second until interrupted.
 */
export async function statsCommand(
  ctx: CliContext,
  opts: StatsOptions,
  containers: string[],
): Promise<number> {
  const client = ctx.client();
  const ids =
    containers.length > 0
      ? containers
      : (await client.containerList({ all: opts.all === true })).map((c) => c.Id ?? '');
  for (;;) {
    const table = formatStatsTable(await sampleAll(ctx, ids));
    if (opts.noStream === true) {
      ctx.io.stdout.write(table);
      return 0;
    }
    ctx.io.stdout.write(`\x1b[2J\x1b[H${table}`);
  }
}
