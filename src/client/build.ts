import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type {
  BuildInfo,
  BuildPruneResponse,
  ContainerConfig,
  ImageCommitResponse,
} from '../api/index.js';
import { multiQuery } from './archives.js';
import { buildQuery } from './query.js';
import { describeEndpoint, requestTo, type Endpoint } from './endpoint.js';
import { DaemonUnreachableError, isConnectError } from './errors.js';
import { jsonLines } from './json-lines.js';
import { throwIfError, type RequestSpec } from './transport.js';

/** The query of POST /build (the classic builder), in the client's names. */
export interface ImageBuildOptions {
  /** Names to tag the result with (`-t`, repeatable). */
  tags?: string[];
  /** Path of the Dockerfile inside the context (default `Dockerfile`). */
  dockerfile?: string;
  /** `--build-arg` values; a null value counts as given but leaves the ARG's default in place. */
  buildArgs?: Record<string, string | null>;
  noCache?: boolean;
  pull?: boolean;
  /** Remove intermediate containers after a successful step (daemon default true). */
  rm?: boolean;
  /** Remove them after a failed step too. */
  forceRm?: boolean;
  labels?: Record<string, string>;
  target?: string;
  quiet?: boolean;
  cacheFrom?: string[];
  networkMode?: string;
  extraHosts?: string[];
  shmSize?: number;
  platform?: string;
  /** Aborting closes the request, which cancels the build on the daemon. */
  signal?: AbortSignal;
}

/** The query of POST /commit. */
export interface ImageCommitOptions {
  repo?: string;
  tag?: string;
  comment?: string;
  author?: string;
  /** Pause the container while committing (daemon default true). */
  pause?: boolean;
  /** Dockerfile instructions to apply (`-c`). */
  changes?: string[];
  /** A container config whose fields override the container's. */
  config?: ContainerConfig;
}

const flag = (v: boolean | undefined): string | undefined =>
  v === undefined ? undefined : v ? '1' : '0';
const json = (v: object | undefined): string | undefined =>
  v === undefined ? undefined : JSON.stringify(v);

/** The query string of POST /build for `opts`. */
export function buildQueryString(opts: ImageBuildOptions): string {
  return multiQuery(
    {
      dockerfile: opts.dockerfile,
      buildargs: json(opts.buildArgs),
      nocache: flag(opts.noCache),
      pull: flag(opts.pull),
      rm: flag(opts.rm),
      forcerm: flag(opts.forceRm),
      labels: json(opts.labels),
      target: opts.target,
      q: flag(opts.quiet),
      cachefrom: json(opts.cacheFrom),
      networkmode: opts.networkMode,
      shmsize: opts.shmSize === undefined ? undefined : String(opts.shmSize),
      platform: opts.platform,
    },
    { t: opts.tags ?? [], extrahosts: opts.extraHosts ?? [] },
  );
}

/**
 * Uploads `body` and resolves with the response once its headers arrive. Unlike load/import,
 * the daemon answers 200 before it has read the context, so the upload goes on after the
 * headers; it stops only on an error status, on abort or when the response is closed.
 */
function sendContext(
  endpoint: Endpoint,
  path: string,
  body: Readable,
  signal: AbortSignal | undefined,
): Promise<IncomingMessage> {
  return new Promise<IncomingMessage>((resolve, reject) => {
    // streamx streams (tar-stream's pack) pipe like Node's but cannot unpipe.
    const stop = (): void => {
      if (typeof body.unpipe === 'function') body.unpipe(req);
    };
    const req = requestTo(
      endpoint,
      {
        method: 'POST',
        path,
        headers: { 'Content-Type': 'application/x-tar', 'Transfer-Encoding': 'chunked' },
        ...(signal !== undefined ? { signal } : {}),
      },
      (res) => {
        res.once('close', stop);
        throwIfError(res).then(
          () => resolve(res),
          (e: unknown) => {
            stop();
            reject(e as Error);
          },
        );
      },
    );
    req.on('error', (err) =>
      reject(
        isConnectError(err) ? new DaemonUnreachableError(describeEndpoint(endpoint), err) : err,
      ),
    );
    body.on('error', (e) => req.destroy(e));
    body.pipe(req);
  });
}

/** The JSON lines of the build; the response is destroyed when iteration stops early. */
async function* messages(res: IncomingMessage): AsyncGenerator<BuildInfo> {
  try {
    yield* jsonLines<BuildInfo>(res as AsyncIterable<Buffer>);
  } finally {
    res.destroy();
  }
}

type Json = <T>(method: RequestSpec['method'], path: string, body?: unknown) => Promise<T>;

/**
 * The build endpoints, bound to a client (BerthClient exposes them as `client.builder`). `path`
 * adds the API version prefix; `json` is the client's JSON request helper.
 */
export function buildApi(endpoint: Endpoint, path: (p: string) => string, request: Json) {
  return {
    /**
     * POST /build with `context` (a tar, plain or compressed) as the body. Rejects for a bad
     * query (400) before streaming; then yields the builder's messages (`stream` text, `aux.ID`,
     * a failure as a message with `errorDetail`). Breaking out of the iteration, or aborting
     * `opts.signal`, closes the request and so cancels the build.
     */
    build: async (
      context: Readable,
      opts: ImageBuildOptions = {},
    ): Promise<AsyncIterable<BuildInfo>> => {
      const res = await sendContext(
        endpoint,
        path(`/build${buildQueryString(opts)}`),
        context,
        opts.signal,
      );
      return messages(res);
    },
    /** POST /commit: an image of the container's changes; resolves with its id. */
    commit: (container: string, opts: ImageCommitOptions = {}): Promise<ImageCommitResponse> => {
      const q = multiQuery(
        {
          container,
          repo: opts.repo,
          tag: opts.tag,
          comment: opts.comment,
          author: opts.author,
          pause: flag(opts.pause),
        },
        { changes: opts.changes ?? [] },
      );
      return request('POST', `/commit${q}`, opts.config ?? {});
    },
    /**
     * POST /build/prune: forgets build cache records and removes the build-step images nothing
     * else needs; `filters` (until, id, parent, description, type, inuse, shared, private), `all`
     * (shared records too) and `reservedSpace` (keep that many bytes of cache) narrow it.
     */
    prune: (
      opts: { filters?: Record<string, string[]>; all?: boolean; reservedSpace?: number } = {},
    ): Promise<BuildPruneResponse> =>
      request(
        'POST',
        `/build/prune${buildQuery({
          filters: opts.filters,
          all: opts.all,
          'reserved-space': opts.reservedSpace,
        })}`,
      ),
  };
}

/** The type of `client.builder`. */
export type BuildApi = ReturnType<typeof buildApi>;

/** Collects a build's messages: the image id (from `aux`), the text, and the error if any. */
export async function collectBuild(
  stream: AsyncIterable<BuildInfo>,
): Promise<{ id: string | null; output: string; error: string | null }> {
  let id: string | null = null;
  let output = '';
  for await (const m of stream) {
    if (typeof m.stream === 'string') output += m.stream;
    if (typeof m.aux?.ID === 'string') id = m.aux.ID;
    if (m.errorDetail !== undefined) return { id, output, error: m.errorDetail.message ?? '' };
  }
  return { id, output, error: null };
}
