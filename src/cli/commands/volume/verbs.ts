import type { CliContext } from '../../context.js';
import { formatTable } from '../../format/table.js';
import { inspectEach } from '../inspect-each.js';

/** `k=v` flags → a label/option map (`k` alone → empty value). */
export function keyValues(list: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const i = kv.indexOf('=');
    if (i < 0) out[kv] = '';
    else out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

/** `--filter k=v` flags → the API's filters map. */
export function volumeFilters(list: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of list) {
    const i = f.indexOf('=');
    const k = i < 0 ? f : f.slice(0, i);
    (out[k] ??= []).push(i < 0 ? '' : f.slice(i + 1));
  }
  return out;
}

const daemonError = (ctx: CliContext, e: unknown): void =>
  void ctx.io.stderr.write(`Error response from daemon: ${(e as Error).message}\n`);

/** Options of `berth volume create`. */
export interface VolumeCreateOptions {
  driver?: string;
  label: string[];
  opt: string[];
}

/** `berth volume create [NAME]`: prints the volume's name. */
export async function volumeCreateCommand(
  ctx: CliContext,
  name: string | undefined,
  o: VolumeCreateOptions,
): Promise<number> {
  const v = await ctx.client().volumes.create({
    ...(name ? { Name: name } : {}),
    Driver: o.driver ?? 'local',
    DriverOpts: keyValues(o.opt),
    Labels: keyValues(o.label),
  });
  ctx.io.stdout.write(`${v.Name}\n`);
  return 0;
}

/** `berth volume ls [-q] [--filter k=v]`. */
export async function volumeLsCommand(
  ctx: CliContext,
  o: { quiet?: boolean; filter: string[] },
): Promise<number> {
  const r = await ctx.client().volumes.list(volumeFilters(o.filter));
  const list = r.Volumes ?? [];
  for (const w of r.Warnings ?? []) ctx.io.stderr.write(`WARNING: ${w}\n`);
  if (o.quiet) {
    for (const v of list) ctx.io.stdout.write(`${v.Name}\n`);
    return 0;
  }
  const rows = list.map((v) => [v.Driver, v.Name]);
  ctx.io.stdout.write(formatTable([['DRIVER', 'VOLUME NAME'], ...rows]));
  return 0;
}

/** `berth volume inspect VOLUME...`: a JSON array, as docker prints it. */
export function volumeInspectCommand(ctx: CliContext, names: string[]): Promise<number> {
  return inspectEach(ctx, names, (n) => ctx.client().volumes.inspect(n));
}

/** `berth volume rm [-f] VOLUME...`: prints each removed name; exit 1 if any failed. */
export async function volumeRmCommand(
  ctx: CliContext,
  names: string[],
  o: { force?: boolean },
): Promise<number> {
  let status = 0;
  for (const n of names) {
    try {
      await ctx.client().volumes.remove(n, o.force === true);
      ctx.io.stdout.write(`${n}\n`);
    } catch (e) {
      daemonError(ctx, e);
      status = 1;
    }
  }
  return status;
}

/** `berth volume prune [-a] [--filter k=v]` (never prompts). */
export async function volumePruneCommand(
  ctx: CliContext,
  o: { all?: boolean; filter: string[] },
): Promise<number> {
  const filters = volumeFilters(o.filter);
  if (o.all) filters['all'] = ['true'];
  const r = await ctx.client().volumes.prune(filters);
  const deleted = r.VolumesDeleted ?? [];
  if (deleted.length > 0) ctx.io.stdout.write(`Deleted Volumes:\n${deleted.join('\n')}\n\n`);
  ctx.io.stdout.write(`Total reclaimed space: ${r.SpaceReclaimed ?? 0}B\n`);
  return 0;
}
