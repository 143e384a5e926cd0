import type { CliContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import { packContext } from './build-context.js';

/** The flags of `berth build`, as commander gives them. */
export interface BuildFlags {
  tag: string[];
  file?: string;
  buildArg: string[];
  label: string[];
  cache: boolean;
  target?: string;
  quiet?: boolean;
  pull?: boolean;
  rm: boolean;
  forceRm?: boolean;
  network?: string;
  platform?: string;
}

/** `KEY=value` pairs; a bare `KEY` takes the value from the environment (docker's rule). */
function pairs(
  list: string[],
  env: Record<string, string | undefined>,
  what: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const i = item.indexOf('=');
    const key = i < 0 ? item : item.slice(0, i);
    if (key === '') throw new UsageError(`invalid ${what}: ${item}`);
    const value = i < 0 ? env[key] : item.slice(i + 1);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * `berth build [flags] PATH`: packs the context (applying .dockerignore), sends it to POST /build
 * and prints the stream as the classic docker CLI does. Exits 1 when the build fails.
 */
export async function buildCommand(ctx: CliContext, path: string, flags: BuildFlags) {
  if (path === '-') throw new UsageError('building from STDIN is not supported; give a directory');
  const packed = await packContext(path, flags.file);
  const stream = await ctx.client().builder.build(packed.tar, {
    tags: flags.tag,
    dockerfile: packed.dockerfile,
    buildArgs: pairs(flags.buildArg, ctx.io.env, 'build-arg'),
    labels: pairs(flags.label, {}, 'label'),
    noCache: !flags.cache,
    ...(flags.target !== undefined ? { target: flags.target } : {}),
    quiet: flags.quiet === true,
    pull: flags.pull === true,
    rm: flags.rm,
    forceRm: flags.forceRm === true,
    ...(flags.network !== undefined ? { networkMode: flags.network } : {}),
    ...(flags.platform !== undefined ? { platform: flags.platform } : {}),
  });
  let id = '';
  for await (const m of stream) {
    if (m.errorDetail !== undefined) {
      ctx.io.stderr.write(`berth: ${m.errorDetail.message ?? 'the build failed'}\n`);
      return 1;
    }
    if (typeof m.aux?.ID === 'string') id = m.aux.ID;
    else if (typeof m.stream === 'string' && flags.quiet !== true) ctx.io.stdout.write(m.stream);
    else if (typeof m.status === 'string' && flags.quiet !== true)
      ctx.io.stdout.write(`${m.id !== undefined ? `${m.id}: ` : ''}${m.status}\n`);
  }
  if (flags.quiet === true) ctx.io.stdout.write(`${id}\n`);
  return 0;
}

/** The flags of `berth commit`. */
export interface CommitFlags {
  change: string[];
  message?: string;
  author?: string;
  pause: boolean;
}

/** `berth commit [flags] CONTAINER [REPOSITORY[:TAG]]`: prints the new image id. */
export async function commitCommand(
  ctx: CliContext,
  container: string,
  ref: string | undefined,
  flags: CommitFlags,
) {
  let repo: string | undefined;
  let tag: string | undefined;
  if (ref !== undefined && ref !== '') {
    const colon = ref.lastIndexOf(':');
    const split = colon > ref.lastIndexOf('/') ? colon : -1;
    repo = split < 0 ? ref : ref.slice(0, split);
    tag = split < 0 ? undefined : ref.slice(split + 1);
  }
  const r = await ctx.client().builder.commit(container, {
    ...(repo !== undefined ? { repo } : {}),
    ...(tag !== undefined ? { tag } : {}),
    ...(flags.message !== undefined ? { comment: flags.message } : {}),
    ...(flags.author !== undefined ? { author: flags.author } : {}),
    pause: flags.pause,
    changes: flags.change,
  });
  ctx.io.stdout.write(`${r.Id}\n`);
  return 0;
}
