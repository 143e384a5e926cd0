import type { CliContext } from '../../context.js';
import { humanDuration, humanSize } from '../../format/human.js';
import { formatTable } from '../../format/table.js';
import { shortId } from '../../format/text.js';

/** Splits Docker's `[REGISTRY/]NAME[:TAG]` target into repo and tag (the `:` after the last `/`). */
function splitTarget(target: string): { repo: string; tag?: string } {
  const colon = target.lastIndexOf(':');
  if (colon > target.lastIndexOf('/') && !target.includes('@'))
    return { repo: target.slice(0, colon), tag: target.slice(colon + 1) };
  return { repo: target };
}

/** `berth tag SOURCE TARGET`. */
export async function tagCommand(ctx: CliContext, source: string, target: string): Promise<number> {
  const { repo, tag } = splitTarget(target);
  await ctx.client().imageTag(source, repo, tag);
  return 0;
}

/** `berth rmi [-f] [--no-prune] IMAGE...`: prints Untagged:/Deleted: lines; exit 1 if any failed. */
export async function rmiCommand(
  ctx: CliContext,
  names: string[],
  opts: { force?: boolean; noPrune?: boolean },
): Promise<number> {
  let status = 0;
  for (const name of names) {
    try {
      const items = await ctx.client().imageRemove(name, {
        force: opts.force === true,
        noprune: opts.noPrune === true,
      });
      for (const i of items) {
        if (i.Untagged) ctx.io.stdout.write(`Untagged: ${i.Untagged}\n`);
        if (i.Deleted) ctx.io.stdout.write(`Deleted: ${i.Deleted}\n`);
      }
    } catch (e) {
      ctx.io.stderr.write(`Error response from daemon: ${(e as Error).message}\n`);
      status = 1;
    }
  }
  return status;
}

/** `berth history [--no-trunc] [-q] [-H=false] IMAGE`. */
export async function historyCommand(
  ctx: CliContext,
  name: string,
  opts: { noTrunc?: boolean; quiet?: boolean; human?: boolean },
): Promise<number> {
  const entries = await ctx.client().imageHistory(name);
  const noTrunc = opts.noTrunc === true;
  const id = (s: string) => (s === '<missing>' || noTrunc ? s : shortId(s));
  if (opts.quiet === true) {
    for (const e of entries) ctx.io.stdout.write(`${id(e.Id)}\n`);
    return 0;
  }
  const human = opts.human !== false;
  const rows = entries.map((e) => {
    let by = e.CreatedBy.replace(/\t/g, ' ');
    if (!noTrunc && by.length > 45) by = `${by.slice(0, 44)}…`;
    const created = human
      ? `${humanDuration(ctx.io.now() - e.Created * 1000)} ago`
      : new Date(e.Created * 1000).toISOString();
    return [id(e.Id), created, by, human ? humanSize(e.Size) : String(e.Size), e.Comment];
  });
  ctx.io.stdout.write(
    formatTable([['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'], ...rows]),
  );
  return 0;
}

/** `berth image prune [-a] [-f] [--filter k=v]`. */
export async function imagePruneCommand(
  ctx: CliContext,
  opts: { all?: boolean; filter: string[] },
): Promise<number> {
  const filters: Record<string, string[]> = {};
  for (const f of opts.filter) {
    const eq = f.indexOf('=');
    const key = eq < 0 ? f : f.slice(0, eq);
    (filters[key] ??= []).push(eq < 0 ? '' : f.slice(eq + 1));
  }
  if (opts.all === true) filters['dangling'] = ['false'];
  const r = await ctx.client().imagePrune(filters);
  const deleted = r.ImagesDeleted ?? [];
  if (deleted.length > 0) {
    ctx.io.stdout.write('Deleted Images:\n');
    for (const i of deleted) {
      if (i.Untagged) ctx.io.stdout.write(`untagged: ${i.Untagged}\n`);
      if (i.Deleted) ctx.io.stdout.write(`deleted: ${i.Deleted}\n`);
    }
    ctx.io.stdout.write('\n');
  }
  ctx.io.stdout.write(`Total reclaimed space: ${humanSize(r.SpaceReclaimed ?? 0)}\n`);
  return 0;
}
