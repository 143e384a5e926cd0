/**
 * The network of a remapped container, set up between `runc create` and `runc start` (Docker's
 * way): runc creates the netns inside the container's user namespace, so `runc exec` (which
 * joins the user namespace first) may join it too.
 */
import type { PendingNetwork, PreparedNetwork } from '../networks/types.js';
import type { ContainerContext, Stored } from './context.js';
import { refreshEtcFiles } from './etc-files.js';
import { setNetnsSysctls, usernsFor, type JoinedNetSysctls } from './userns.js';

/**
 * Sets up (or, for a remapped container, prepares) a starting container's network. Ports are
 * resolved and checked either way, so a conflict fails before the runtime is asked for anything.
 */
export async function networkForStart(
  ctx: ContainerContext,
  c: Stored,
): Promise<PreparedNetwork | undefined> {
  const net = ctx.deps.networking;
  if (!net) return undefined;
  const req = {
    id: c.id,
    networkMode: c.config.networkMode,
    ports: c.config.ports ?? { exposed: [], bindings: {}, publishAll: false },
    links: c.config.links ?? [],
  };
  const twoPhase = usernsFor(ctx.deps.userns, c.config) !== undefined && net.prepare !== undefined;
  return twoPhase && net.prepare ? net.prepare(req) : net.setUp(req);
}

/**
 * Phase two for a created (not yet started) container: its init's netns is pinned and attached,
 * the `net.*` sysctls taken out of its spec are written into it, and /etc/hosts and resolv.conf
 * are rewritten in place with its addresses (they are already bind-mounted into it). The caller
 * deletes the runtime container and tears the network down when this throws.
 */
export async function finishNetwork(
  ctx: ContainerContext,
  c: Stored,
  pending: PendingNetwork,
  pid: number,
  sysctls: JoinedNetSysctls | undefined,
): Promise<void> {
  const attach = ctx.deps.networking?.attachToPid;
  if (!attach) throw new Error('networking without a two-phase set-up returned a pending one');
  const done = await attach.call(ctx.deps.networking, pending, pid);
  if (sysctls && Object.keys(sysctls.sysctls).length > 0) await setNetnsSysctls(sysctls);
  await refreshEtcFiles(ctx.deps.paths.containerDir(c.id), c.id, c.config, done.facts);
}
