import type { RunInstruction } from '../../dockerfile/instructions.js';
import { invalidParameter } from '../../errors/index.js';
import { argEnv, DEFAULT_SHELL, type StageState } from './stage-state.js';
import type { BuildContainers, BuildMessage, BuildOptions } from './types.js';

/**
 * The argv of a RUN: exec form as written; shell form through the stage's SHELL. Here-documents
 * go to the shell as shell here-documents (the shell reads them natively), except a RUN that is
 * nothing but here-documents (`RUN <<EOF`), whose bodies are the script itself.
 */
export function runArgv(s: StageState, instr: RunInstruction): string[] {
  const c = instr.command;
  if (c.form === 'exec') return c.args;
  const shell = s.config.Shell ?? DEFAULT_SHELL;
  if (instr.heredocs.length === 0) return [...shell, c.text];
  const onlyHeredocs = /^(\s*<<-?(["']?)[A-Za-z_][A-Za-z0-9_]*\2)+\s*$/.test(c.text);
  if (onlyHeredocs) return [...shell, instr.heredocs.map((h) => h.content).join('')];
  const bodies = instr.heredocs.map((h) => `${h.content}${h.name}\n`).join('');
  return [...shell, `${c.text}\n${bodies}`];
}

/** A RUN that failed: Docker's message, and the code the client is told. */
export function runFailure(argv: string[], code: number): Error {
  return invalidParameter(`The command '${argv.join(' ')}' returned a non-zero code: ${code}`);
}

/**
 * Runs one RUN in a real container of the current image (the stage's ARGs in its environment,
 * the image's user, workdir and env), streaming its output into the build stream. Returns the
 * container (the caller commits and removes it) and its exit code.
 */
export async function runInContainer(
  containers: BuildContainers,
  s: StageState,
  argv: string[],
  opts: BuildOptions,
  emit: (m: BuildMessage) => void,
  signal: AbortSignal,
): Promise<{ id: string; code: number }> {
  if (s.imageId === null)
    throw invalidParameter('RUN needs an image with a shell: FROM scratch has none');
  const { id } = await containers.create({
    image: s.imageId,
    entrypoint: [''],
    cmd: argv,
    env: argEnv(s),
    ...(s.config.User ? { user: s.config.User } : {}),
    ...(s.config.WorkingDir ? { workingDir: s.config.WorkingDir } : {}),
    networkMode: opts.networkMode || 'default',
    ...(opts.extraHosts.length > 0 ? { extraHosts: opts.extraHosts } : {}),
    ...(opts.shmSize > 0 ? { shmSize: opts.shmSize } : {}),
    ...(opts.run?.resources ? { resources: opts.run.resources } : {}),
    ...(opts.run?.security ? { security: opts.run.security } : {}),
    labels: {},
  });
  emit({ stream: ` ---> Running in ${id.slice(0, 12)}\n` });
  const onAbort = (): void => void containers.kill(id).catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    // An abort before the listener was added fires no event: check, or the RUN would go on.
    if (signal.aborted) throw new Error('the build was cancelled');
    await containers.start(id);
    if (signal.aborted) onAbort(); // cancelled while starting: the kill above found nothing
    for await (const chunk of containers.output(id, signal)) {
      if (!opts.quiet) emit({ stream: chunk.toString('utf8') });
    }
    const r = await containers.wait(id);
    return { id, code: r.statusCode };
  } catch (e) {
    return Promise.reject(Object.assign(e as Error, { containerId: id }));
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
