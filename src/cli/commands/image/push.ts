import type { CliContext } from '../../context.js';

/** The X-Registry-Auth object from BERTH_REGISTRY_USER / BERTH_REGISTRY_PASSWORD, if set. */
function authFromEnv(ctx: CliContext, name: string): Record<string, string> {
  const username = ctx.io.env['BERTH_REGISTRY_USER'];
  const password = ctx.io.env['BERTH_REGISTRY_PASSWORD'];
  if (username === undefined || password === undefined) return {};
  const slash = name.indexOf('/');
  return { username, password, serveraddress: slash > 0 ? name.slice(0, slash) : 'docker.io' };
}

/**
 * `berth push NAME[:TAG]`: streams the daemon's progress as docker does without a terminal, one
 * line per layer state change (`abc123: Pushed`) and the final `TAG: digest: sha256:… size: N`.
 * An error inside the stream prints and exits 1.
 */
export async function pushCommand(ctx: CliContext, target: string): Promise<number> {
  const at = target.indexOf('@');
  const colon = target.lastIndexOf(':');
  const hasTag = at < 0 && colon > target.lastIndexOf('/');
  const name = hasTag ? target.slice(0, colon) : target;
  const tag = hasTag ? target.slice(colon + 1) : undefined;
  const stream = await ctx.client().imagePush(name, {
    ...(tag !== undefined ? { tag } : {}),
    auth: authFromEnv(ctx, name),
  });
  for await (const m of stream) {
    if (typeof m['error'] === 'string') {
      ctx.io.stderr.write(`${m['error']}\n`);
      return 1;
    }
    const status = typeof m['status'] === 'string' ? m['status'] : '';
    if (status === '' || status === 'Pushing') continue;
    const id = typeof m['id'] === 'string' ? `${m['id']}: ` : '';
    ctx.io.stdout.write(`${id}${status}\n`);
  }
  return 0;
}
