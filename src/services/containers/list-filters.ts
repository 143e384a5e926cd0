import { invalidParameter } from '../../errors/index.js';
import type { ContainerContext, Stored } from './context.js';
import type { Container } from './types.js';

/**
 * The `docker ps` filters about a container's place among the others and what it is wired to:
 * `since`/`before` (created after/before the named container), `volume` (a volume name or a
 * mount destination), `network` (a network name or id it is on), `publish`/`expose` (a container
 * port, `port[/proto]` or a range, that it publishes or exposes), `is-task` (never: no swarm) and
 * `isolation` (only `default`), all with Docker's meanings.
 */
export const placementFilters = [
  'since',
  'before',
  'volume',
  'network',
  'publish',
  'expose',
  'is-task',
  'isolation',
] as const;

/** A compiled predicate over a container and its list view. */
export type PlacementMatch = (c: Stored, view: () => Container) => boolean;

/** Checks the values of the placement filters and compiles them (every key must match). */
export function compilePlacementFilters(
  ctx: ContainerContext,
  f: Record<string, string[]>,
): PlacementMatch[] {
  const out: PlacementMatch[] = [];
  const anchor = (key: 'since' | 'before'): number | undefined => {
    const v = f[key];
    if (!v) return undefined;
    // The last value counts, as in Docker; an unknown container is a 404.
    return Date.parse(ctx.lookup(v[v.length - 1] ?? '').createdAt);
  };
  const since = anchor('since');
  if (since !== undefined) out.push((c) => Date.parse(c.createdAt) > since);
  const before = anchor('before');
  if (before !== undefined) out.push((c) => Date.parse(c.createdAt) < before);
  const volumes = f['volume'];
  if (volumes) {
    out.push((c) =>
      (c.config.mounts ?? []).some((m) =>
        volumes.some((v) => (m.type === 'volume' && m.source === v) || m.destination === v),
      ),
    );
  }
  const networks = f['network'];
  if (networks) {
    out.push((_c, view) => {
      const on = view().network?.networks ?? {};
      return Object.entries(on).some(([name, e]) =>
        networks.some((v) => v === name || (v.length > 0 && e.networkId.startsWith(v))),
      );
    });
  }
  for (const key of ['publish', 'expose'] as const) {
    const values = f[key];
    if (!values) continue;
    const wanted = new Set(values.flatMap((v) => portsOf(key, v)));
    out.push((c) => [...portsOfContainer(c, key)].some((p) => wanted.has(p)));
  }
  for (const v of f['is-task'] ?? []) {
    if (v !== 'true' && v !== 'false') throw invalidParameter(`invalid filter 'is-task=${v}'`);
    if (v === 'true') out.push(() => false); // no swarm: no container is a task
  }
  const isolation = f['isolation'];
  if (isolation && !isolation.includes('default')) out.push(() => false);
  return out;
}

/** `80`, `80/tcp`, `53/udp`, `8000-8080[/proto]` as `port/proto` keys. */
function portsOf(key: string, v: string): string[] {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/(tcp|udp|sctp))?$/.exec(v);
  const lo = Number(m?.[1]);
  const hi = m?.[2] === undefined ? lo : Number(m[2]);
  if (!m || lo < 1 || hi > 65535 || hi < lo || hi - lo > 65535) {
    throw invalidParameter(`invalid filter '${key}=${v}'`);
  }
  const proto = m[3] ?? 'tcp';
  const out: string[] = [];
  for (let p = lo; p <= hi; p++) out.push(`${p}/${proto}`);
  return out;
}

/** The container ports it publishes (bindings; every exposed one with -P) or exposes. */
function portsOfContainer(c: Stored, key: 'publish' | 'expose'): Set<string> {
  const p = c.config.ports;
  if (!p) return new Set();
  const bound = Object.entries(p.bindings)
    .filter(([, list]) => list.length > 0)
    .map(([k]) => k);
  if (key === 'publish') return new Set(p.publishAll ? [...bound, ...p.exposed] : bound);
  return new Set([...p.exposed, ...bound]);
}
