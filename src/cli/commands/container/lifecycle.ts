import type { CliContext } from '../../context.js';
import { describeError, UsageError } from '../../errors.js';

/**
 * Applies `action` to each named container in order, printing each name on success and each
 * error on stderr, as docker's multi-container verbs do. Exit 1 if any failed.
 */
export async function forEachContainer(
  ctx: CliContext,
  names: readonly string[],
  action: (name: string) => Promise<void>,
): Promise<number> {
  let failed = false;
  for (const name of names) {
    try {
      await action(name);
      ctx.io.stdout.write(`${name}\n`);
    } catch (err) {
      failed = true;
      ctx.io.stderr.write(`${describeError(err)}\n`);
    }
  }
  return failed ? 1 : 0;
}

/** Parses a whole number of seconds (negative allowed: docker's "wait forever" is -1). */
export function parseSeconds(value: string): number {
  if (!/^-?\d{1,9}$/.test(value)) throw new UsageError(`invalid timeout: ${value}`);
  return Number(value);
}
