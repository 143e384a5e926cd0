import type { CliContext } from '../../context.js';
import { formatImageTable, imageIds } from '../../format/images.js';

/** `berth images` flags. */
export interface ImagesOptions {
  all?: boolean;
  quiet?: boolean;
  noTrunc?: boolean;
}

/** `berth images`: one row per repository:tag, or unique ids with -q. */
export async function imagesCommand(ctx: CliContext, opts: ImagesOptions): Promise<number> {
  const images = await ctx.client().imageList({ all: opts.all === true });
  const noTrunc = opts.noTrunc === true;
  if (opts.quiet === true) {
    for (const id of imageIds(images, noTrunc)) ctx.io.stdout.write(`${id}\n`);
  } else {
    ctx.io.stdout.write(formatImageTable(images, { now: ctx.io.now(), noTrunc }));
  }
  return 0;
}
