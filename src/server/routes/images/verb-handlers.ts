import type { ImageDeleteResponseItem } from '../../../api/index.js';
import { invalidParameter, notFound, systemError } from '../../../errors/index.js';
import type { ImagesService } from '../../../services/images/service.js';
import type { ImageDeleteRecord } from '../../../services/images/remove.js';
import { responseOf, type Handler, type RequestContext } from '../../context.js';
import { boolQuery, filtersQuery, sendJson } from '../../http.js';

/**
 * Handlers of the local image verbs: tag, remove (rmi), history, prune, search. Image names may
 * contain slashes, so tag/history arrive through the `/images/*` wildcard routes with the name
 * already cut from the path by routes.ts.
 */

/** POST /images/{name}/tag?repo=&tag= → 201, no body. */
export async function tagHandler(svc: ImagesService, ctx: RequestContext, name: string) {
  svc.tag(name, ctx.query.get('repo') ?? '', ctx.query.get('tag') ?? '');
  responseOf(ctx).writeHead(201).end();
}

const toDeleteItem = (r: ImageDeleteRecord): ImageDeleteResponseItem =>
  'untagged' in r ? { Untagged: r.untagged } : { Deleted: r.deleted };

/** DELETE /images/{name}?force=&noprune= → the untagged/deleted list. */
export async function removeHandler(svc: ImagesService, ctx: RequestContext, name: string) {
  const records = await svc.remove(name, {
    force: boolQuery(ctx.query, 'force'),
    noprune: boolQuery(ctx.query, 'noprune'),
  });
  sendJson(responseOf(ctx), 200, records.map(toDeleteItem));
}

/** GET /images/{name}/history. */
export async function historyHandler(svc: ImagesService, ctx: RequestContext, name: string) {
  const entries = await svc.history(name);
  sendJson(
    responseOf(ctx),
    200,
    entries.map((e) => ({
      Id: e.id,
      Created: e.created,
      CreatedBy: e.createdBy,
      Tags: e.tags,
      Size: e.size,
      Comment: e.comment,
    })),
  );
}

/** POST /images/prune?filters= → {ImagesDeleted, SpaceReclaimed}; ImagesDeleted null when empty, as dockerd. */
export const pruneHandler =
  (svc: ImagesService): Handler =>
  async (ctx) => {
    const r = await svc.prune(filtersQuery(ctx.query));
    sendJson(responseOf(ctx), 200, {
      ImagesDeleted: r.deleted.length > 0 ? r.deleted.map(toDeleteItem) : null,
      SpaceReclaimed: r.spaceReclaimed,
    });
  };

/**
 * GET /images/search: Berth never contacts Docker Hub's index, so this answers as dockerd does
 * when the index cannot be reached: a 500 (the only error status the spec lists) whose message
 * says why. A missing term is a 400 first.
 */
export const searchHandler = (): Handler => async (ctx) => {
  const term = ctx.query.get('term') ?? '';
  if (term === '') throw invalidParameter('term is required');
  throw systemError(
    `searching ${JSON.stringify(term)}: image search is not supported by this engine (it does not contact Docker Hub's index); browse your registry instead`,
  );
};

/**
 * The image name of a `/images/*` wildcard path ending in `/<verb>` (decoded), or undefined when
 * the path ends otherwise.
 */
export function nameBefore(rest: string, verb: string): string | undefined {
  const suffix = `/${verb}`;
  if (!rest.endsWith(suffix) || rest.length === suffix.length) return undefined;
  return decodeURIComponent(rest.slice(0, -suffix.length));
}

/** POST /images/{name}/tag and /push (names may contain slashes). */
export const imagePostHandler =
  (svc: ImagesService, push: (ctx: RequestContext, name: string) => Promise<void>): Handler =>
  async (ctx) => {
    const rest = ctx.params['*'] ?? '';
    const tagName = nameBefore(rest, 'tag');
    if (tagName !== undefined) return tagHandler(svc, ctx, tagName);
    const pushName = nameBefore(rest, 'push');
    if (pushName !== undefined) return push(ctx, pushName);
    throw notFound('page not found');
  };

/** DELETE /images/{name}: the whole rest of the path is the name. */
export const imageDeleteHandler =
  (svc: ImagesService): Handler =>
  async (ctx) =>
    removeHandler(svc, ctx, decodeURIComponent(ctx.params['*'] ?? ''));
