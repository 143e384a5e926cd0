import { randomBytes } from 'node:crypto';
import type { Dockerfile, Stage } from '../../dockerfile/instructions.js';
import { parseInstruction } from '../../dockerfile/parse-instruction.js';
import { parseDockerfile, targetStage } from '../../dockerfile/parse.js';
import { processWord } from '../../dockerfile/shell-lex.js';
import { invalidParameter, isKind } from '../../errors/index.js';
import type { Digest } from '../../lib/digest.js';
import { cacheFromSources } from './cache-from-hit.js';
import type { BuildContext } from './context-dir.js';
import type { SourceRoot } from './copy-plan.js';
import type { BuildArgs, StageState } from './stage-state.js';
import { runInstruction, type StepContext } from './steps.js';
import type { BuildDeps, BuildMessage, BuildOptions, RunConfig } from './types.js';

const short = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);

/** Resolves the ARGs before the first FROM: the client's value, else the default. */
function metaArgs(
  df: Dockerfile,
  given: BuildOptions['buildArgs'],
  used: Set<string>,
): Map<string, string> {
  const meta = new Map<string, string>();
  for (const instr of df.metaArgs) {
    for (const a of instr.args) {
      const g = given[a.name];
      if (a.name in given) used.add(a.name);
      if (typeof g === 'string') meta.set(a.name, g);
      else if (a.rawDefault !== undefined)
        meta.set(a.name, processWord(a.rawDefault, meta, df.escape));
    }
  }
  return meta;
}

/**
 * One classic-builder run over an unpacked context: parses the Dockerfile, builds every stage up
 * to the target in order, and returns the final image id. Messages go to `emit` in Docker's
 * shapes; failures throw (the caller puts them in the stream). Temporary snapshots (COPY
 * --from) are released before it returns, whatever happens.
 */
export async function runBuild(
  deps: BuildDeps,
  context: BuildContext,
  opts: BuildOptions,
  emit: (m: BuildMessage) => void,
  signal: AbortSignal,
): Promise<string> {
  const df = parseDockerfile(context.dockerfile);
  const target = targetStage(df, opts.target);
  const stages = df.stages.slice(0, target.index + 1);
  const used = new Set<string>();
  const args: BuildArgs = { given: opts.buildArgs, meta: metaArgs(df, opts.buildArgs, used), used };
  const results = new Map<string, string | null>();
  const mounts: string[] = [];
  const fromRoot = async (ref: string): Promise<SourceRoot> => {
    const byStage = results.has(ref.toLowerCase()) ? results.get(ref.toLowerCase()) : undefined;
    const imageId = byStage !== undefined ? byStage : await baseImage(ref);
    const key = `b-${randomBytes(8).toString('hex')}`;
    const layers = imageId === null ? [] : (await deps.images.inspect(imageId)).layers;
    await deps.snapshotter.prepare(
      key,
      layers.map((l) => l.chainId as Digest),
    );
    mounts.push(key);
    return { dir: await deps.snapshotter.mount(key), label: `stage ${ref}` };
  };
  const ctx: StepContext = {
    deps,
    opts,
    args,
    emit,
    signal,
    context: { dir: context.dir, ignore: context.ignore, label: 'build context' },
    fromRoot,
    cacheFrom: cacheFromSources(deps.images, opts.cacheFrom),
  };
  const total = stages.reduce((n, s) => n + 1 + s.instructions.length, 0);
  let step = 0;
  let last: StageState | undefined;

  async function baseImage(ref: string): Promise<string | null> {
    if (ref === 'scratch') return null;
    const present = await deps.images.inspect(ref).catch((e: unknown) => {
      if (isKind(e, 'NotFound')) return null;
      throw e;
    });
    if (present !== null && !opts.pull) return present.id;
    await deps.images.pull(ref, (m) => emit(m), signal);
    return (await deps.images.inspect(ref)).id;
  }

  async function runStage(stage: Stage): Promise<StageState> {
    emit({ stream: `Step ${++step}/${total} : ${stage.from.original}\n` });
    const ref = processWord(stage.from.image, args.meta, df.escape);
    if (ref === '') throw invalidParameter(`base name (${stage.from.image}) should not be blank`);
    const prior = results.get(ref.toLowerCase());
    const imageId = prior !== undefined ? prior : await baseImage(ref);
    const image = imageId === null ? null : await deps.images.inspect(imageId);
    const config = structuredClone(image?.config.config ?? {}) as RunConfig;
    const s: StageState = { imageId, config, args: new Map(), cmdSet: false, escape: df.escape };
    emit({ stream: ` ---> ${imageId === null ? 'scratch' : short(imageId)}\n` });
    const triggers = config.OnBuild ?? [];
    if (triggers.length > 0) {
      emit({
        stream: `# Executing ${triggers.length} build trigger${triggers.length > 1 ? 's' : ''}\n`,
      });
      s.config.OnBuild = null; // triggers run once, in the image built FROM this one
      for (const t of triggers) {
        const instr = parseInstruction({ line: 0, text: t, heredocs: [] }, df.escape);
        await runInstruction(ctx, s, instr);
      }
    }
    for (const instr of stage.instructions) {
      if (signal.aborted) throw new Error('the build was cancelled');
      emit({ stream: `Step ${++step}/${total} : ${instr.original}\n` });
      await runInstruction(ctx, s, instr);
    }
    return s;
  }

  try {
    for (const stage of stages) {
      last = await runStage(stage);
      results.set(stage.name ?? String(stage.index), last.imageId);
      results.set(String(stage.index), last.imageId);
    }
    if (!last || last.imageId === null) {
      throw invalidParameter('No image was generated. Is your Dockerfile empty?');
    }
    if (Object.keys(opts.labels).length > 0) {
      const text = Object.entries(opts.labels).map(([k, v]) => `"${k}"=${JSON.stringify(v)}`);
      const instr = parseInstruction(
        { line: 0, text: `LABEL ${text.join(' ')}`, heredocs: [] },
        '\\',
      );
      await runInstruction(ctx, last, instr);
    }
    const unused = Object.keys(opts.buildArgs).filter((k) => !used.has(k));
    if (unused.length > 0) {
      emit({
        stream: `[Warning] One or more build-args [${unused.join(' ')}] were not consumed\n`,
      });
    }
    return last.imageId as string;
  } finally {
    for (const key of mounts) await deps.snapshotter.remove(key).catch(() => undefined);
  }
}
