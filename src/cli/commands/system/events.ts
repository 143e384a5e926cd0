import type { EventMessage } from '../../../api/index.js';
import { rfc3339Nano } from '../../../lib/time.js';
import type { CliContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import { timestampArg } from '../../timestamps.js';

/** `berth events` flags. */
export interface EventsOptions {
  since?: string;
  until?: string;
  /** `key=value`, repeatable. */
  filter: string[];
}

/** docker's default event line: `<time> <type> <action> <id> (k=v, ...)`, attributes sorted. */
export function formatEventLine(ev: EventMessage): string {
  const attrs = Object.entries(ev.Actor?.Attributes ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`);
  const when = rfc3339Nano(BigInt(ev.timeNano ?? (ev.time ?? 0) * 1e9));
  const tail = attrs.length > 0 ? ` (${attrs.join(', ')})` : '';
  return `${when} ${ev.Type ?? ''} ${ev.Action ?? ''} ${ev.Actor?.ID ?? ''}${tail}\n`;
}

/** `berth events`: the daemon's events, history with --since/--until, then live. */
export async function eventsCommand(ctx: CliContext, opts: EventsOptions): Promise<number> {
  const filters: Record<string, string[]> = {};
  for (const f of opts.filter) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new UsageError(`bad format of filter (expected name=value): ${f}`);
    (filters[f.slice(0, eq)] ??= []).push(f.slice(eq + 1));
  }
  const now = ctx.io.now();
  const events = await ctx.client().events({
    filters,
    ...(opts.since === undefined ? {} : { since: timestampArg(opts.since, now) }),
    ...(opts.until === undefined ? {} : { until: timestampArg(opts.until, now) }),
  });
  for await (const ev of events) ctx.io.stdout.write(formatEventLine(ev));
  return 0;
}
