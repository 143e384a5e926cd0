import type { CliContext } from '../context.js';

/**
 * `berth <kind> inspect NAME...`: fetches each, prints the ones found as one JSON array (docker's
 * layout) and each failure as `Error response from daemon: …`; exit 1 if any failed.
 */
export async function inspectEach(
  ctx: CliContext,
  names: string[],
  fetch: (name: string) => Promise<unknown>,
): Promise<number> {
  const out: unknown[] = [];
  let status = 0;
  for (const n of names) {
    try {
      out.push(await fetch(n));
    } catch (e) {
      ctx.io.stderr.write(`Error response from daemon: ${(e as Error).message}\n`);
      status = 1;
    }
  }
  ctx.io.stdout.write(`${JSON.stringify(out, null, 4)}\n`);
  return status;
}
