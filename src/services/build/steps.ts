import { createHash, randomBytes } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import { packLayer } from '../../archive/pack-layer.js';
import type {
  CopyInstruction,
  Instruction,
  RunInstruction,
} from '../../dockerfile/instructions.js';
import type { Digest } from '../../lib/digest.js';
import { resolveInRoot } from '../../lib/in-root.js';
import { cacheFromLayer } from './cache-from-hit.js';
import type { CacheImage } from './cache-from.js';
import { writeFiles } from './copy-apply.js';
import { applyCopy, planCopy, retarget } from './copy-step.js';
import type { SourceRoot } from './copy-plan.js';
import { runArgv, runFailure, runInContainer } from './run-step.js';
import { applyMetadata, argEnv, type BuildArgs, type StageState } from './stage-state.js';
import type { BuildDeps, BuildMessage, BuildOptions } from './types.js';

/** What one build needs while it runs its steps. */
export interface StepContext {
  deps: BuildDeps;
  opts: BuildOptions;
  args: BuildArgs;
  emit: (m: BuildMessage) => void;
  signal: AbortSignal;
  /** The context directory (with its .dockerignore) as a COPY source. */
  context: SourceRoot;
  /** `COPY --from=<name|index|image>`: a mounted rootfs of that stage or image; released by the caller. */
  fromRoot: (ref: string) => Promise<SourceRoot>;
  /** The `--cache-from` images (see cache-from-hit.ts), inspected once per build. */
  cacheFrom: () => Promise<CacheImage[]>;
}

const short = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);
const nop = (text: string): string => `/bin/sh -c #(nop)  ${text}`;
const hash = (s: string): string => createHash('sha256').update(s).digest('hex');

/** The chain ids of an image's layers (none for scratch). */
async function layersOf(ctx: StepContext, imageId: string | null): Promise<Digest[]> {
  if (imageId === null) return [];
  return (await ctx.deps.images.inspect(imageId)).layers.map((l) => l.chainId as Digest);
}

/**
 * Looks the step up in the cache (unless --no-cache), then in the `--cache-from` images by the
 * history entry it would record (`createdBy`); a hit there commits the source's layer with the
 * step's own configuration. On a hit moves the stage onto the cached image.
 */
async function cached(
  ctx: StepContext,
  s: StageState,
  key: string,
  createdBy: string,
): Promise<boolean> {
  if (ctx.opts.noCache) return false;
  const parent = s.imageId ?? 'scratch';
  const hit = ctx.deps.cache.get(parent, key);
  if (hit !== undefined) {
    ctx.deps.cache.recordHit(parent, key, new Date().toISOString());
    s.imageId = hit;
  } else {
    const from = await cacheFromLayer(ctx.deps.images, ctx.cacheFrom, s, createdBy);
    if (from === undefined) return false;
    await commit(ctx, s, key, createdBy, from.layer);
  }
  ctx.emit({ stream: ' ---> Using cache\n' });
  return true;
}

async function commit(
  ctx: StepContext,
  s: StageState,
  key: string,
  createdBy: string,
  layer: NodeJS.ReadableStream | null,
): Promise<void> {
  const parent = s.imageId ?? 'scratch';
  const id = await ctx.deps.images.commit({
    parentId: s.imageId,
    layer: layer as never,
    config: s.config,
    createdBy,
    refs: [],
  });
  ctx.deps.cache.put(parent, key, id, new Date().toISOString());
  s.imageId = id;
}

async function runStep(ctx: StepContext, s: StageState, instr: RunInstruction): Promise<void> {
  const argv = runArgv(s, instr);
  const env = argEnv(s);
  const key = `RUN ${hash(JSON.stringify([argv, env]))}`;
  const createdBy =
    env.length > 0 ? `|${env.length} ${env.join(' ')} ${argv.join(' ')}` : argv.join(' ');
  if (await cached(ctx, s, key, createdBy)) return;
  const { containers } = ctx.deps;
  const remove = (id: string): Promise<void> => containers.remove(id).catch(() => undefined);
  let ran: { id: string; code: number };
  try {
    ran = await runInContainer(containers, s, argv, ctx.opts, ctx.emit, ctx.signal);
  } catch (e) {
    // The step broke before it had an exit code (start failed, cancelled): nothing to keep.
    const id = (e as { containerId?: string }).containerId;
    if (id !== undefined) await remove(id);
    throw e;
  }
  const { id, code } = ran;
  const drop = async (): Promise<void> => {
    await remove(id);
    ctx.emit({ stream: `Removing intermediate container ${id.slice(0, 12)}\n` });
  };
  if (ctx.signal.aborted) {
    await remove(id); // a cancelled build leaves no container, whatever rm/forcerm say (Docker)
    throw new Error('the build was cancelled');
  }
  if (code !== 0) {
    if (ctx.opts.forceRm) await drop();
    throw runFailure(argv, code);
  }
  try {
    await commit(ctx, s, key, createdBy, packLayer(containers.upperDir(id)));
  } finally {
    if (ctx.opts.rm || ctx.opts.forceRm) await drop();
  }
}

async function copyStep(ctx: StepContext, s: StageState, instr: CopyInstruction): Promise<void> {
  const { snapshotter } = ctx.deps;
  const root = instr.from !== undefined ? await ctx.fromRoot(instr.from) : ctx.context;
  const work = await planCopy(s, instr, root, ctx.signal);
  const cacheKey = `${instr.kind} ${instr.from ?? ''} ${hash(work.key)}`;
  const what = work.files.length === 1 ? 'file' : 'dir';
  const createdBy = nop(`${instr.kind} ${what}:${work.sum} in ${work.dest} `);
  if (await cached(ctx, s, cacheKey, createdBy)) return; // a hit needs no snapshot of the parent
  const key = `b-${randomBytes(8).toString('hex')}`;
  await snapshotter.prepare(key, await layersOf(ctx, s.imageId));
  try {
    const rootfs = await snapshotter.mount(key);
    const isDir = async (dest: string): Promise<boolean> =>
      (await lstat(await resolveInRoot(rootfs, dest)).catch(() => null))?.isDirectory() === true;
    await retarget(work, isDir);
    await applyCopy(rootfs, work);
    await snapshotter.unmount(key);
    await commit(ctx, s, cacheKey, createdBy, packLayer(snapshotter.upperDir(key)));
  } finally {
    await snapshotter.remove(key).catch(() => undefined);
  }
}

/**
 * WORKDIR creates its directory (owned by root) when the image lacks it, as Docker's classic
 * builder does, so later COPY and RUN steps find a directory there; the layer is empty otherwise.
 */
async function workdirStep(
  ctx: StepContext,
  s: StageState,
  key: string,
  text: string,
): Promise<void> {
  const { snapshotter } = ctx.deps;
  const snap = `b-${randomBytes(8).toString('hex')}`;
  await snapshotter.prepare(snap, await layersOf(ctx, s.imageId));
  try {
    const rootfs = await snapshotter.mount(snap);
    const dir = (s.config.WorkingDir ?? '/').replace(/^\/+/, '');
    if (dir !== '') await writeFiles(rootfs, [], { uid: 0, gid: 0 }, undefined, [dir]);
    await snapshotter.unmount(snap);
    await commit(ctx, s, key, nop(text), packLayer(snapshotter.upperDir(snap)));
  } finally {
    await snapshotter.remove(snap).catch(() => undefined);
  }
}

/**
 * Runs one step of a stage (after FROM): RUN in a container, COPY/ADD into a snapshot, anything
 * else as a configuration change; each commits an image (cached by parent and step) and moves the
 * stage onto it. Prints Docker's ` ---> <id>` line after it.
 */
export async function runInstruction(
  ctx: StepContext,
  s: StageState,
  instr: Instruction,
): Promise<void> {
  if (instr.kind === 'RUN') await runStep(ctx, s, instr);
  else if (instr.kind === 'COPY' || instr.kind === 'ADD') await copyStep(ctx, s, instr);
  else if (instr.kind === 'FROM') throw new Error('FROM starts a stage; it is not a step');
  else {
    const text = applyMetadata(s, instr, ctx.args);
    if (instr.kind === 'ARG') {
      ctx.emit({ stream: ` ---> ${s.imageId === null ? 'scratch' : short(s.imageId)}\n` });
      return; // ARG only changes what later steps expand: no image, as in Docker ≥ 1.13
    }
    const key = `META ${hash(JSON.stringify([instr.kind, s.config]))}`;
    if (await cached(ctx, s, key, nop(text))) {
      // the cached image has the step's effect
    } else if (instr.kind === 'WORKDIR') await workdirStep(ctx, s, key, text);
    else await commit(ctx, s, key, nop(text), null);
  }
  ctx.emit({ stream: ` ---> ${short(s.imageId ?? '')}\n` });
}
