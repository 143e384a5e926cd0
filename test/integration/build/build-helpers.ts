import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { collectBuild, type ImageBuildOptions } from '../../../src/client/index.js';
import { docker, type TestDaemon } from '../../helpers/test-daemon.js';

/** One context entry: file content, or a file with a mode, a symlink, a directory. */
export type ContextEntry =
  | string
  | Buffer
  | { content: string | Buffer; mode?: number; mtime?: Date }
  | { symlink: string }
  | { dir: true };

/**
 * A build context as a tar stream, from a map of names to entries, in the order given (tests
 * use names a real CLI would never send, like `../x`, on purpose).
 */
export function contextTar(files: Record<string, ContextEntry>): Readable {
  const pack = tar.pack();
  for (const [name, e] of Object.entries(files)) {
    if (typeof e === 'string' || Buffer.isBuffer(e)) {
      pack.entry({ name, mode: 0o644 }, e);
    } else if ('symlink' in e) {
      pack.entry({ name, type: 'symlink', linkname: e.symlink });
    } else if ('dir' in e) {
      pack.entry({ name, type: 'directory', mode: 0o755 });
    } else {
      pack.entry(
        { name, mode: e.mode ?? 0o644, ...(e.mtime ? { mtime: e.mtime } : {}) },
        e.content,
      );
    }
  }
  pack.finalize();
  return pack as unknown as Readable;
}

/** What a build answered: the image id (from `aux`), the stream text, the in-stream error. */
export interface BuildResult {
  id: string | null;
  output: string;
  error: string | null;
}

/** Builds a context of `files` through the typed client and collects the stream. */
export async function build(
  d: TestDaemon,
  files: Record<string, ContextEntry>,
  opts: ImageBuildOptions = {},
): Promise<BuildResult> {
  return collectBuild(await d.client.builder.build(contextTar(files), opts));
}

/** Like {@link build}, failing the test (with the output) unless the build succeeded. */
export async function buildOk(
  d: TestDaemon,
  files: Record<string, ContextEntry>,
  opts: ImageBuildOptions = {},
): Promise<BuildResult & { id: string }> {
  const r = await build(d, files, opts);
  if (r.error !== null || r.id === null)
    throw new Error(`build failed: ${r.error ?? 'no id'}\n${r.output}`);
  return r as BuildResult & { id: string };
}

/** `docker run --rm image args...`: the output (stdout + stderr), failing on a non-zero exit. */
export async function runImage(d: TestDaemon, image: string, args: string[]): Promise<string> {
  const r = await docker(d, ['run', '--rm', '--network', 'none', image, ...args]);
  if (r.code !== 0) throw new Error(`docker run ${image} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The number of ` ---> Using cache` lines in a build's output. */
export const cacheHits = (output: string): number =>
  output.split('\n').filter((l) => l === ' ---> Using cache').length;

/** A docker CLI result's stdout, failing the test unless the command succeeded. */
export const ok = (r: { code: number | null; stdout: string; stderr: string }): string => {
  assert.equal(r.code, 0, `${r.stderr}\n${r.stdout}`);
  return r.stdout;
};
