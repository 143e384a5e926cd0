import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { decompressedStream } from '../../archive/decompress.js';
import { padTar } from '../../archive/tar-pad.js';
import { unpackLayer } from '../../archive/unpack-layer.js';
import { IgnoreMatcher, parseDockerignore } from '../../dockerfile/dockerignore.js';
import { MAX_DOCKERFILE_BYTES } from '../../dockerfile/parse.js';
import { invalidParameter } from '../../errors/index.js';
import { resolveInRoot } from '../../lib/in-root.js';
import { sourcePath } from './copy-plan.js';

/** A build context unpacked on disk, with its Dockerfile and .dockerignore read. */
export interface BuildContext {
  dir: string;
  dockerfile: string;
  ignore: IgnoreMatcher;
  /** Deletes the unpacked context. */
  dispose(): Promise<void>;
}

/**
 * Unpacks the request body (a tar, plain or compressed) into a fresh directory under `tmpDir`
 * with the layer unpacker's checks (no `..`, no absolute names, no writes through links, no
 * device nodes), then reads the Dockerfile at `dockerfilePath` — a path inside the context,
 * resolved without ever leaving it — and the context's `.dockerignore`.
 */
export async function openContext(
  tmpDir: string,
  body: Readable,
  dockerfilePath: string,
): Promise<BuildContext> {
  const dir = join(tmpDir, `ctx-${randomBytes(8).toString('hex')}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const dispose = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    const { stream } = await decompressedStream(body);
    await unpackLayer(stream.pipe(padTar()), dir, { whiteouts: 'literal' });
    const name = sourcePath(dockerfilePath || 'Dockerfile');
    const path = await resolveInRoot(dir, name);
    const st = await lstat(path).catch(() => null);
    if (st === null || !st.isFile()) {
      throw invalidParameter(
        `Cannot locate specified Dockerfile: ${dockerfilePath || 'Dockerfile'}`,
      );
    }
    if (st.size > MAX_DOCKERFILE_BYTES) {
      throw invalidParameter(`the Dockerfile is larger than ${MAX_DOCKERFILE_BYTES} bytes`);
    }
    const dockerfile = await readFile(path, 'utf8');
    const ignoreText = await readFile(await resolveInRoot(dir, '.dockerignore'), 'utf8').catch(
      () => '',
    );
    return { dir, dockerfile, ignore: new IgnoreMatcher(parseDockerignore(ignoreText)), dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}
