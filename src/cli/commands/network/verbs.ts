import type { CliContext } from '../../context.js';
import { formatTable } from '../../format/table.js';
import { inspectEach } from '../inspect-each.js';
import { shortId } from '../../format/text.js';

/** `k=v` flags → a label/option map. */
function keyValues(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const i = kv.indexOf('=');
    if (i < 0) out[kv] = '';
    else out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

/** `--filter k=v` flags → the API's filters map. */
export function filtersOf(list: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const f of list) {
    const i = f.indexOf('=');
    const k = i < 0 ? f : f.slice(0, i);
    (out[k] ??= []).push(i < 0 ? '' : f.slice(i + 1));
  }
  return out;
}

/** Options of `berth network create`. */
export interface NetworkCreateOptions {
  driver?: string;
  subnet?: string;
  gateway?: string;
  ipRange?: string;
  internal?: boolean;
  attachable?: boolean;
  label: string[];
  opt: string[];
}

/** `berth network create [OPTIONS] NETWORK`: prints the new id. */
export async function networkCreateCommand(
  ctx: CliContext,
  name: string,
  o: NetworkCreateOptions,
): Promise<number> {
  const ipam =
    o.subnet || o.gateway || o.ipRange
      ? {
          Config: [
            {
              ...(o.subnet ? { Subnet: o.subnet } : {}),
              ...(o.gateway ? { Gateway: o.gateway } : {}),
              ...(o.ipRange ? { IPRange: o.ipRange } : {}),
            },
          ],
        }
      : undefined;
  const r = await ctx.client().networks.create({
    Name: name,
    Driver: o.driver ?? 'bridge',
    Internal: o.internal === true,
    Attachable: o.attachable === true,
    Labels: keyValues(o.label),
    Options: keyValues(o.opt),
    ...(ipam ? { IPAM: ipam } : {}),
  });
  ctx.io.stdout.write(`${r.Id}\n`);
  return 0;
}

/** `berth network ls [-q] [--no-trunc] [--filter k=v]`. */
export async function networkLsCommand(
  ctx: CliContext,
  o: { quiet?: boolean; noTrunc?: boolean; filter: string[] },
): Promise<number> {
  const list = await ctx.client().networks.list(filtersOf(o.filter));
  const id = (s: string | undefined): string => (o.noTrunc ? (s ?? '') : shortId(s ?? ''));
  if (o.quiet) {
    for (const n of list) ctx.io.stdout.write(`${id(n.Id)}\n`);
    return 0;
  }
  const rows = list.map((n) => [id(n.Id), n.Name ?? '', n.Driver ?? '', n.Scope ?? '']);
  ctx.io.stdout.write(formatTable([['NETWORK ID', 'NAME', 'DRIVER', 'SCOPE'], ...rows]));
  return 0;
}

/** `berth network inspect NETWORK...`: a JSON array, as docker prints it. */
export function networkInspectCommand(ctx: CliContext, names: string[]): Promise<number> {
  return inspectEach(ctx, names, (n) => ctx.client().networks.inspect(n));
}

/** `berth network rm NETWORK...`: prints each removed name; exit 1 if any failed. */
export async function networkRmCommand(ctx: CliContext, names: string[]): Promise<number> {
  let status = 0;
  for (const n of names) {
    try {
      await ctx.client().networks.remove(n);
      ctx.io.stdout.write(`${n}\n`);
    } catch (e) {
      ctx.io.stderr.write(`Error response from daemon: ${(e as Error).message}\n`);
      status = 1;
    }
  }
  return status;
}

/** `berth network prune [-f] [--filter k=v]`. */
export async function networkPruneCommand(
  ctx: CliContext,
  o: { filter: string[] },
): Promise<number> {
  const r = await ctx.client().networks.prune(filtersOf(o.filter));
  const deleted = r.NetworksDeleted ?? [];
  if (deleted.length > 0) ctx.io.stdout.write(`Deleted Networks:\n${deleted.join('\n')}\n`);
  return 0;
}

/** `berth network connect [--ip IP] [--alias A] NETWORK CONTAINER`. */
export async function networkConnectCommand(
  ctx: CliContext,
  network: string,
  container: string,
  o: { ip?: string; alias: string[] },
): Promise<number> {
  await ctx.client().networks.connect(network, container, {
    ...(o.ip ? { IPAMConfig: { IPv4Address: o.ip } } : {}),
    ...(o.alias.length > 0 ? { Aliases: o.alias } : {}),
  });
  return 0;
}

/** `berth network disconnect [-f] NETWORK CONTAINER`. */
export async function networkDisconnectCommand(
  ctx: CliContext,
  network: string,
  container: string,
  o: { force?: boolean },
): Promise<number> {
  await ctx.client().networks.disconnect(network, container, o.force === true);
  return 0;
}
