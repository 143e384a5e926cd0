import { invalidParameter } from '../../errors/index.js';
import { predefinedNames, type NetworksContext } from './context.js';
import type { Network, NetworkMember, NetworkView } from './types.js';

/** `key` or `key=value` against a label map. */
export function labelMatches(labels: Record<string, string>, spec: string): boolean {
  const eq = spec.indexOf('=');
  return eq < 0 ? spec in labels : labels[spec.slice(0, eq)] === spec.slice(eq + 1);
}

const known = new Set(['driver', 'id', 'label', 'name', 'scope', 'type', 'dangling']);

/** The running containers on a network, as inspect's Containers map shows them. */
export function membersOf(ctx: NetworksContext, n: Network): NetworkMember[] {
  const prefix = n.config.subnet.split('/')[1] ?? '32';
  const out: NetworkMember[] = [];
  for (const e of ctx.deps.repo.endpointsIn(n.id)) {
    if (!e.address) continue;
    out.push({
      containerId: e.containerId,
      name: ctx.containers.peek(e.containerId)?.name ?? '',
      endpointId: e.endpointId ?? '',
      mac: e.mac ?? '',
      ipv4: `${e.address}/${prefix}`,
    });
  }
  return out;
}

/** One network with its members. */
export function viewOf(ctx: NetworksContext, n: Network): NetworkView {
  return { ...n, members: membersOf(ctx, n) };
}

/**
 * GET /networks with Docker's filters: driver, id and name (substring), label, scope (local),
 * type (custom|builtin), dangling (no container attached at all).
 */
export function listNetworks(
  ctx: NetworksContext,
  filters: Record<string, string[]>,
): NetworkView[] {
  for (const key of Object.keys(filters))
    if (!known.has(key)) throw invalidParameter(`invalid filter '${key}'`);
  for (const t of filters['type'] ?? [])
    if (t !== 'custom' && t !== 'builtin') throw invalidParameter(`invalid filter: 'type'='${t}'`);
  const dangling = (filters['dangling'] ?? []).map((v) => {
    if (/^(1|true)$/i.test(v)) return true;
    if (/^(0|false)$/i.test(v)) return false;
    throw invalidParameter(`invalid filter 'dangling=${v}'`);
  });
  const any = (key: string, test: (v: string) => boolean): boolean => {
    const vs = filters[key];
    return vs === undefined || vs.length === 0 || vs.some(test);
  };
  return ctx.deps.repo
    .all()
    .filter(
      (n) =>
        any('driver', (v) => n.driver === v) &&
        any('id', (v) => n.id.includes(v)) &&
        any('name', (v) => n.name.includes(v)) &&
        any('scope', (v) => v === 'local') &&
        any('type', (v) => (v === 'builtin') === predefinedNames.has(n.name)) &&
        (filters['label'] ?? []).every((l) => labelMatches(n.config.labels, l)) &&
        dangling.every(
          (d) =>
            d === (ctx.deps.repo.endpointsIn(n.id).length === 0 && !predefinedNames.has(n.name)),
        ),
    )
    .map((n) => viewOf(ctx, n));
}
