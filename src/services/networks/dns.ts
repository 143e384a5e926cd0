import type { NetworksContext } from './context.js';
import type { Network } from './types.js';

/**
 * The names a user network's embedded DNS answers: for each running member, its container name,
 * its network aliases, its short id and its hostname (case-insensitive, trailing dot ignored).
 */
export function lookupOn(ctx: NetworksContext, networkId: string, name: string): string[] {
  const want = name.toLowerCase().replace(/\.$/, '');
  const out: string[] = [];
  for (const e of ctx.deps.repo.endpointsIn(networkId)) {
    if (!e.address) continue;
    const c = ctx.containers.peek(e.containerId);
    if (!c) continue;
    const names = [c.name, c.id.slice(0, 12), c.hostname, ...e.config.aliases];
    if (names.some((n) => n.toLowerCase() === want)) out.push(e.address);
  }
  return out;
}

/** True for networks with an embedded DNS server: user-defined bridges (Docker's rule). */
export function hasEmbeddedDns(n: Network): boolean {
  return n.driver === 'bridge' && n.name !== 'bridge';
}

/** Starts the embedded DNS of a user network; a failure is logged, not fatal (names only). */
export async function startDns(ctx: NetworksContext, n: Network): Promise<void> {
  const dns = ctx.deps.dns;
  if (!dns || !hasEmbeddedDns(n)) return;
  await dns
    .serve(n.id, n.config.gateway, (name) => lookupOn(ctx, n.id, name))
    .catch((e: unknown) => ctx.deps.log(`embedded DNS for network ${n.name}: ${String(e)}`));
}

/** Stops the embedded DNS of a network (no-op without one). */
export async function stopDns(ctx: NetworksContext, n: Network): Promise<void> {
  const dns = ctx.deps.dns;
  if (!dns || !hasEmbeddedDns(n)) return;
  await dns.stop(n.id).catch((e: unknown) => ctx.deps.log(`stop DNS of ${n.name}: ${String(e)}`));
}
