import { ApiError } from '../../../client/index.js';
import type { CliContext } from '../../context.js';
import { describeError, UsageError } from '../../errors.js';

/** `berth inspect` flags. */
export interface InspectOptions {
  /** Restrict to one kind of object: `container` or `image`. */
  type?: string;
}

const kinds = ['container', 'image'] as const;

/**
 * `berth inspect NAME...`: each name as a container, else as an image (like docker, unless
 * --type narrows it), printed as one JSON array with 4-space indentation. Names found as
 * neither print `Error: No such object: NAME` and make the exit status 1.
 */
export async function inspectCommand(
  ctx: CliContext,
  opts: InspectOptions,
  names: string[],
): Promise<number> {
  if (opts.type !== undefined && !(kinds as readonly string[]).includes(opts.type)) {
    throw new UsageError(`"${opts.type}" is not a valid value for --type`);
  }
  const client = ctx.client();
  const lookups: ((name: string) => Promise<unknown>)[] = [];
  if (opts.type !== 'image') lookups.push((n) => client.containerInspect(n));
  if (opts.type !== 'container') lookups.push((n) => client.imageInspect(n));
  const found: unknown[] = [];
  const errors: string[] = [];
  for (const name of names) {
    try {
      found.push(await firstFound(lookups, name));
    } catch (err) {
      errors.push(
        err instanceof ApiError && err.statusCode === 404
          ? `Error: No such object: ${name}`
          : describeError(err),
      );
    }
  }
  ctx.io.stdout.write(`${JSON.stringify(found, null, 4)}\n`);
  for (const e of errors) ctx.io.stderr.write(`${e}\n`);
  return errors.length > 0 ? 1 : 0;
}

/** The first lookup that does not 404; rethrows any other error, or the last 404. */
async function firstFound(
  lookups: readonly ((name: string) => Promise<unknown>)[],
  name: string,
): Promise<unknown> {
  let last: unknown = new ApiError(404, `No such object: ${name}`);
  for (const lookup of lookups) {
    try {
      return await lookup(name);
    } catch (err) {
      if (!(err instanceof ApiError && err.statusCode === 404)) throw err;
      last = err;
    }
  }
  throw last;
}
