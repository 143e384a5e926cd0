import type { Route } from '../../context.js';
import { notFound } from '../../../errors/index.js';
import type { ImagesService } from '../../../services/images/service.js';
import { responseOf, type Handler } from '../../context.js';
import { boolQuery, filtersQuery, sendJson } from '../../http.js';
import { toImageInspect, toImageSummary } from './mappers.js';

/** GET /images/json */
const listHandler =
  (svc: ImagesService): Handler =>
  async (ctx) => {
    boolQuery(ctx.query, 'all');
    const filters = filtersQuery(ctx.query);
    const dangling = filters['dangling']?.[0];
    const refs = filters['reference'];
    let images = await svc.list();
    if (dangling === 'true' || dangling === '1')
      images = images.filter((i) => i.repoTags.length === 0);
    if (dangling === 'false' || dangling === '0')
      images = images.filter((i) => i.repoTags.length > 0);
    if (refs)
      images = images.filter((i) =>
        i.repoTags.some((t) => refs.some((r) => t === r || t.startsWith(`${r}:`))),
      );
    sendJson(
      responseOf(ctx),
      200,
      images.map((i) => toImageSummary(i, -1)),
    );
  };

/** GET /images/{name}/json: names may contain slashes, so the route is a wildcard. */
const inspectHandler =
  (svc: ImagesService): Handler =>
  async (ctx) => {
    const rest = ctx.params['*'] ?? '';
    if (!rest.endsWith('/json')) throw notFound('page not found');
    const name = decodeURIComponent(rest.slice(0, -'/json'.length));
    sendJson(responseOf(ctx), 200, toImageInspect(await svc.inspect(name)));
  };

/**
 * POST /images/create: this engine has no registry client yet, so a pull of an image that is not
 * here answers 404 (the spec's status for a repository that cannot be read) with a message that
 * says why, instead of the generic "page not found" a docker CLI user would otherwise see.
 */
const createHandler =
  (svc: ImagesService): Handler =>
  async (ctx) => {
    const from = ctx.query.get('fromImage') ?? '';
    const tag = ctx.query.get('tag') ?? '';
    const ref = tag === '' ? from : tag.startsWith('sha256:') ? `${from}@${tag}` : `${from}:${tag}`;
    if (ctx.query.get('fromSrc') !== null)
      throw notFound('importing images is not supported by this engine yet');
    if (svc.has(ref))
      throw notFound(
        `pulling ${ref}: pulling from registries is not supported by this engine yet; the local image is unchanged`,
      );
    throw notFound(
      `No such image: ${ref} (pulling from registries is not supported by this engine yet)`,
    );
  };

/** The image endpoints. */
export function imageRoutes(svc: ImagesService): Route[] {
  return [
    { method: 'GET', path: '/images/json', handler: listHandler(svc) },
    { method: 'POST', path: '/images/create', handler: createHandler(svc) },
    { method: 'GET', path: '/images/*', handler: inspectHandler(svc) },
  ];
}
