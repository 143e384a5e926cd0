import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { familiarString, normalize } from '../images/reference.js';
import type { Digest } from '../../lib/digest.js';
import { runBuild } from './builder.js';
import { buildCacheRecords, type BuildCacheRecord } from './cache-usage.js';
import { pruneBuildCache } from './cache-prune.js';
import type { BuildPruneOptions } from './prune-select.js';
import { commitContainer, type CommitOptions } from './commit-container.js';
import { openContext } from './context-dir.js';
import type { BuildDeps, BuildMessage, BuildOptions } from './types.js';

/** POST /build (the classic builder) and POST /build/prune. */
export class BuildService {
  constructor(private readonly deps: BuildDeps) {}

  /**
   * Checks what can be refused before the stream starts (the tags), returning the build to run.
   * The build unpacks the context, runs it, tags the result and reports Docker's closing lines;
   * it resolves to the image id and throws on failure (after the stream started).
   */
  prepare(
    opts: BuildOptions,
  ): (body: Readable, emit: (m: BuildMessage) => void, signal: AbortSignal) => Promise<string> {
    const tags = opts.tags.map((t) => normalize(t));
    return async (body, emit, signal) => {
      const quietEmit = (m: BuildMessage): void => {
        if (!opts.quiet || !('stream' in m)) emit(m);
      };
      const context = await openContext(this.deps.tmpDir, body, opts.dockerfile);
      try {
        const id = await runBuild(this.deps, context, opts, quietEmit, signal);
        emit({ aux: { ID: id } });
        if (opts.quiet) emit({ stream: `${id}\n` });
        quietEmit({ stream: `Successfully built ${id.replace(/^sha256:/, '').slice(0, 12)}\n` });
        for (const t of tags) {
          this.deps.images.tag(id, t);
          quietEmit({ stream: `Successfully tagged ${familiarString(t)}\n` });
        }
        return id;
      } finally {
        await context.dispose();
      }
    };
  }

  /** POST /commit: see commit-container.ts. Returns the new image id. */
  commit(idOrName: string, opts: CommitOptions): Promise<string> {
    return commitContainer(this.deps, idOrName, opts);
  }

  /** The build cache's records for GET /system/df (`containerImages`: images containers use). */
  async cacheUsage(containerImages: ReadonlySet<string>): Promise<BuildCacheRecord[]> {
    return buildCacheRecords(
      this.deps.cache.list(),
      await this.deps.images.list(),
      containerImages,
      this.layerSize,
    );
  }

  /**
   * POST /build/prune: deletes the cache records `opts` selects and the build-step images that
   * nothing else needs (see pruneBuildCache).
   */
  async prune(
    opts: BuildPruneOptions,
  ): Promise<{ cachesDeleted: string[]; spaceReclaimed: number }> {
    let freeBytes = 0;
    if (opts.minFreeSpace > 0) {
      const dir = this.deps.tmpDir; // created by the first build: its parent is the data root
      const s = await statfs(dir).catch(() => statfs(dirname(dir)));
      freeBytes = s.bavail * s.bsize;
    }
    return pruneBuildCache(
      {
        images: this.deps.images,
        cache: this.deps.cache,
        layerSize: this.layerSize,
        containerImages: this.deps.containers.imagesInUse(),
        freeBytes,
      },
      opts,
    );
  }

  private readonly layerSize = (chainId: string): Promise<number> =>
    this.deps.snapshotter.layerSize(chainId as Digest);
}
