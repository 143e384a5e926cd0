import { invalidParameter } from '../../../errors/index.js';
import type { ChangeableConfig } from '../../../dockerfile/changes.js';
import type { BuildService } from '../../../services/build/service.js';
import { normalize } from '../../../services/images/reference.js';
import { responseOf, type Handler } from '../../context.js';
import { boolQuery, readJsonBody, sendJson } from '../../http.js';
import { openProgressStream } from '../../streams/json-progress.js';
import { buildOptionsFromQuery } from './build-options.js';
import { pruneOptionsFromQuery } from './prune-options.js';

/**
 * POST /build: the query and tags are checked first (a 400 before any byte), then 200 and the
 * classic builder's JSON stream, a failure as `errorDetail` in it. A client that goes away
 * cancels the build (its RUN container is killed and removed).
 */
export const buildHandler =
  (svc: BuildService): Handler =>
  async (ctx) => {
    let run;
    try {
      run = svc.prepare(buildOptionsFromQuery(ctx.query));
    } catch (e) {
      ctx.req.resume();
      throw e;
    }
    const res = responseOf(ctx);
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const stream = openProgressStream(res);
    try {
      await run(ctx.req, (m) => stream.write(m), abort.signal);
      stream.end();
    } catch (e) {
      ctx.log(`build failed: ${(e as Error).message}`);
      ctx.req.resume();
      stream.fail(e);
    }
  };

/** POST /build/prune: the query is validated first (a bad filter deletes nothing). */
export const buildPruneHandler =
  (svc: BuildService): Handler =>
  async (ctx) => {
    const r = await svc.prune(pruneOptionsFromQuery(ctx.query, Date.now()));
    sendJson(responseOf(ctx), 200, {
      CachesDeleted: r.cachesDeleted,
      SpaceReclaimed: r.spaceReclaimed,
    });
  };

const configFields = [
  'User',
  'Env',
  'Entrypoint',
  'Cmd',
  'WorkingDir',
  'Labels',
  'StopSignal',
  'ExposedPorts',
  'Volumes',
] as const;

/** The fields of POST /commit's body (a container config) that a commit may set, type-checked. */
function commitConfig(body: unknown): ChangeableConfig {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw invalidParameter('the body must be a JSON object');
  const out: Record<string, unknown> = {};
  for (const k of configFields) {
    const v = (body as Record<string, unknown>)[k];
    if (v === undefined || v === null) continue;
    const ok =
      k === 'Env' || k === 'Entrypoint' || k === 'Cmd'
        ? Array.isArray(v) && v.every((x) => typeof x === 'string')
        : k === 'Labels' || k === 'ExposedPorts' || k === 'Volumes'
          ? typeof v === 'object' && !Array.isArray(v)
          : typeof v === 'string';
    if (!ok) throw invalidParameter(`invalid ${k} in the commit config`);
    out[k] = v;
  }
  return out as ChangeableConfig;
}

/** POST /commit?container=&repo=&tag=&comment=&author=&pause=&changes= → 201 {Id}. */
export const commitHandler =
  (svc: BuildService): Handler =>
  async (ctx) => {
    const q = ctx.query;
    const container = q.get('container') ?? '';
    if (container === '') throw invalidParameter('container is required');
    const repo = q.get('repo') ?? '';
    const tag = q.get('tag') ?? '';
    const ref = repo === '' ? null : normalize(tag === '' ? repo : `${repo}:${tag}`);
    if (ref !== null && ref.includes('@'))
      throw invalidParameter('cannot commit to a digest reference');
    const body = await readJsonBody(ctx.req);
    const id = await svc.commit(container, {
      ref,
      comment: q.get('comment') ?? '',
      author: q.get('author') ?? '',
      pause: boolQuery(q, 'pause', true),
      changes: q.getAll('changes').flatMap((c) => c.split('\n')),
      config: commitConfig(body),
    });
    sendJson(responseOf(ctx), 201, { Id: id });
  };
