import { createReadStream, createWriteStream } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CliContext } from '../../context.js';
import { UsageError } from '../../errors.js';

/** Writes `src` to the file `output`, or to stdout when none (refused when stdout is a terminal). */
export async function writeArchive(
  ctx: CliContext,
  src: Readable,
  output: string | undefined,
  what: string,
) {
  if (output !== undefined && output !== '') {
    await pipeline(src, createWriteStream(output, { mode: 0o644 }));
    return;
  }
  const out = ctx.io.stdout as Writable & { isTTY?: boolean };
  if (out.isTTY === true) {
    src.destroy();
    throw new UsageError(`cowardly refusing to write ${what} to a terminal; use -o or redirect`);
  }
  await pipeline(src, out, { end: false });
}

/** Prints progress lines (`stream` text, `status`); returns 1 after an `errorDetail` line. */
async function printProgress(ctx: CliContext, lines: AsyncIterable<Record<string, unknown>>) {
  for await (const m of lines) {
    const err = m['errorDetail'] as { message?: string } | undefined;
    if (err) {
      ctx.io.stderr.write(`berth: ${err.message ?? String(m['error'])}\n`);
      return 1;
    }
    if (typeof m['stream'] === 'string') ctx.io.stdout.write(m['stream']);
    else if (typeof m['status'] === 'string' && m['progressDetail'] === undefined)
      ctx.io.stdout.write(`${m['status']}\n`);
  }
  return 0;
}

/** `berth save [-o file] image...` */
export async function saveCommand(ctx: CliContext, names: string[], flags: { output?: string }) {
  const res = await ctx.client().imageSave(names);
  await writeArchive(ctx, res, flags.output, 'the archive');
  return 0;
}

/** `berth load [-i file] [-q]`: reads the archive from the file or stdin. */
export async function loadCommand(ctx: CliContext, flags: { input?: string; quiet?: boolean }) {
  const src = flags.input !== undefined ? createReadStream(flags.input) : ctx.io.stdin;
  const lines = await ctx.client().imageLoad(src, { quiet: flags.quiet !== false });
  return printProgress(ctx, lines);
}

/** `berth import file|- [REPOSITORY[:TAG]] [-c change]... [-m message]`. */
export async function importCommand(
  ctx: CliContext,
  file: string,
  ref: string | undefined,
  flags: { change: string[]; message?: string },
) {
  const src = file === '-' ? ctx.io.stdin : createReadStream(file);
  const lines = await ctx.client().imageImport(src, {
    ...(ref !== undefined ? { repo: ref } : {}),
    changes: flags.change,
    ...(flags.message !== undefined ? { message: flags.message } : {}),
  });
  return printProgress(ctx, lines);
}

/** `berth export [-o file] container`. */
export async function exportCommand(ctx: CliContext, id: string, flags: { output?: string }) {
  const res = await ctx.client().containerExport(id);
  await writeArchive(ctx, res, flags.output, 'the export');
  return 0;
}
