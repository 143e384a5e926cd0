import { lstat, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { PassThrough } from 'node:stream';
import { ApiError, GO_MODE_DIR, GO_MODE_SYMLINK } from '../../../client/index.js';
import type { CliContext } from '../../context.js';
import { UsageError } from '../../errors.js';
import { renameTransform, runTar } from './cp-tar.js';

/** `berth cp` flags. */
export interface CpOptions {
  /** -a: the files get the container user's uid/gid. */
  archive?: boolean;
  /** -L: follow a symlink given as the source. */
  followLink?: boolean;
}

/** `CONTAINER:PATH` or a local path (a `:` after a `/` belongs to a local path, as in docker). */
function splitArg(arg: string): { container?: string; path: string } {
  const colon = arg.indexOf(':');
  if (colon <= 0 || arg.slice(0, colon).includes('/')) return { path: arg };
  return { container: arg.slice(0, colon), path: arg.slice(colon + 1) };
}

const isDir = (mode: number): boolean => mode >= GO_MODE_DIR;

/** `berth cp`: copies between a container and the host (or a tar on stdin/stdout with `-`). */
export async function cpCommand(
  ctx: CliContext,
  srcArg: string,
  dstArg: string,
  opts: CpOptions,
): Promise<number> {
  const src = splitArg(srcArg);
  const dst = splitArg(dstArg);
  if ((src.container === undefined) === (dst.container === undefined))
    throw new UsageError('copying between containers or between local paths is not supported');
  if (src.container !== undefined) await copyOut(ctx, src.container, src.path, dst.path, opts);
  else await copyIn(ctx, src.path, dst.container as string, dst.path, opts);
  return 0;
}

async function copyOut(ctx: CliContext, id: string, path: string, dst: string, o: CpOptions) {
  const client = ctx.client();
  // HEAD answers carry no message: name a missing path the way the daemon's GET does.
  const statOf = (p: string) =>
    client.containerStatPath(id, p).catch((e: unknown) => {
      if (e instanceof ApiError && e.statusCode === 404)
        throw new ApiError(404, `Could not find the file ${p} in container ${id}`);
      throw e;
    });
  let stat0 = await statOf(path);
  if (o.followLink === true && (stat0.mode & GO_MODE_SYMLINK) !== 0) {
    path = stat0.linkTarget;
    stat0 = await statOf(path);
  }
  const { archive } = await client.containerGetArchive(id, path);
  if (dst === '-') {
    await new Promise<void>((resolve, reject) => {
      archive.on('error', reject).on('end', resolve).pipe(ctx.io.stdout, { end: false });
    });
    return;
  }
  const existing = await stat(dst).catch(() => null);
  if (existing?.isDirectory() === true) return runTar(['-x', '-C', dst], archive);
  if (existing !== null && isDir(stat0.mode))
    throw new Error(`cannot copy directory to existing file ${dst}`);
  if (existing === null && dst.endsWith('/')) throw new Error(`no such directory: ${dst}`);
  // Extract beside the destination, then move the copied entry into its place.
  const tmp = await mkdtemp(join(dirname(dst), '.berth-cp-'));
  try {
    await runTar(['-x', '-C', tmp], archive);
    await rename(stat0.name === '.' ? tmp : join(tmp, stat0.name), dst);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function copyIn(ctx: CliContext, src: string, id: string, path: string, o: CpOptions) {
  const client = ctx.client();
  const put = { copyUIDGID: o.archive === true, noOverwriteDirNonDir: true };
  if (src === '-') return client.containerPutArchive(id, path, ctx.io.stdin, put);
  const local = await (o.followLink === true ? stat(src) : lstat(src));
  let target: { mode: number } | null = null;
  try {
    target = await client.containerStatPath(id, path);
  } catch (e) {
    if (!(e instanceof ApiError) || e.statusCode !== 404) throw e;
  }
  const contents = src.endsWith('/.') || src === '.';
  const base = contents ? '.' : basename(src);
  const parent = contents ? src : dirname(src);
  if (target !== null && isDir(target.mode)) {
    return client.containerPutArchive(id, path, tarOf(parent, base, []), put);
  }
  if (target !== null && local.isDirectory())
    throw new Error(`cannot copy directory to existing file ${path}`);
  if (target === null && path.endsWith('/')) throw new Error(`no such directory: ${path}`);
  const into = posix.dirname(posix.normalize(`/${path}`));
  const name = posix.basename(posix.normalize(`/${path}`));
  const transform = contents ? [renameTransform('.', name)] : [renameTransform(base, name)];
  return client.containerPutArchive(id, into, tarOf(parent, base, transform), put);
}

/** A tar of `base` in `dir` streamed from the host's tar (numeric owners, as docker sends). */
function tarOf(dir: string, base: string, extra: string[]) {
  const out = new PassThrough();
  runTar(['-c', '--numeric-owner', '-C', dir, ...extra, '--', base], undefined, out).then(
    () => out.end(),
    (e: unknown) => out.destroy(e as Error),
  );
  return out;
}
