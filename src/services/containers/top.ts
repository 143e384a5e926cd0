import { conflict, invalidParameter, systemError } from '../../errors/index.js';
import { execFile } from '../../lib/exec.js';
import type { ContainerContext } from './context.js';

/** The answer of GET /top: ps's column titles and the rows of the container's processes. */
export interface TopResult {
  titles: string[];
  processes: string[][];
}

/**
 * Splits ps output into titles and rows. Rows have as many fields as titles; the last column
 * (the command) keeps its spaces. Only rows whose PID column is one of `pids` are kept.
 */
export function parsePs(output: string, pids: ReadonlySet<number>): TopResult {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  const titles = (lines[0] ?? '').trim().split(/\s+/);
  const pidCol = titles.indexOf('PID');
  if (pidCol < 0) throw invalidParameter(`Couldn't find PID field in ps output`);
  const processes: string[][] = [];
  for (const line of lines.slice(1)) {
    const fields = line.trim().split(/\s+/);
    const row = [...fields.slice(0, titles.length - 1), fields.slice(titles.length - 1).join(' ')];
    if (pids.has(Number(row[pidCol]))) processes.push(row);
  }
  return { titles, processes };
}

/**
 * GET /containers/{id}/top: runs the host's `ps` with the user's arguments (default `-ef`, as
 * Docker) and keeps the container's processes. Arguments go to ps as separate argv words, never
 * through a shell.
 */
export async function topContainer(
  ctx: ContainerContext,
  idOrName: string,
  psArgs: string,
): Promise<TopResult> {
  const c = ctx.lookup(idOrName);
  if (ctx.status(c) !== 'running' && ctx.status(c) !== 'paused') {
    throw conflict(`Container ${c.id} is not running`);
  }
  const pids = new Set(await ctx.deps.runtime.pids(c.id));
  const args = (psArgs.trim() || '-ef').split(/\s+/);
  const r = await execFile('ps', args, { timeoutMs: 10_000 });
  if (r.code !== 0) throw systemError(`ps: ${r.stderr.trim() || `exit status ${r.code}`}`);
  return parsePs(r.stdout, pids);
}
