import type { Route } from '../../context.js';
import { notFound } from '../../../errors/index.js';
import type { ImagesService } from '../../../services/images/service.js';
import { responseOf, type Handler } from '../../context.js';
import { boolQuery, filtersQuery, sendJson } from '../../http.js';
import { toImageInspect, toImageSummary } from './mappers.js';
import {
  historyHandler,
  imageDeleteHandler,
  imagePostHandler,
  nameBefore,
  pruneHandler,
  searchHandler,
} from './verb-handlers.js';
import { pushHandler } from './push-handler.js';
import { pullHandler } from './pull-handler.js';
import { authHandler } from './auth-handler.js';
import { importHandler } from './import-handler.js';
import { loadHandler, saveHandler } from './archive-handlers.js';

/** GET /images/json */
const listHandler =
  (svc: ImagesService): Handler =>
  async (ctx) => {
    const all = boolQuery(ctx.query, 'all');
    const images = await svc.list(filtersQuery(ctx.query), all);
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
    const historyOf = nameBefore(rest, 'history');
    if (historyOf !== undefined) return historyHandler(svc, ctx, historyOf);
    const saveOf = nameBefore(rest, 'get');
    if (saveOf !== undefined) return saveHandler(svc, ctx, [saveOf]);
    if (!rest.endsWith('/json')) throw notFound('page not found');
    const name = decodeURIComponent(rest.slice(0, -'/json'.length));
    sendJson(responseOf(ctx), 200, toImageInspect(await svc.inspect(name)));
  };

/** POST /images/create: `fromSrc` is an import, anything else a pull (pull-handler.ts). */
const createHandler = (svc: ImagesService): Handler => {
  const pull = pullHandler(svc);
  const imports = importHandler(svc);
  return async (ctx) => {
    if (ctx.query.get('fromSrc') !== null) return imports(ctx);
    await pull(ctx);
  };
};

/** The image endpoints. */
export function imageRoutes(svc: ImagesService): Route[] {
  return [
    { method: 'GET', path: '/images/json', handler: listHandler(svc) },
    {
      method: 'GET',
      path: '/images/get',
      handler: (ctx) => saveHandler(svc, ctx, ctx.query.getAll('names')),
    },
    { method: 'POST', path: '/images/load', handler: loadHandler(svc) },
    { method: 'POST', path: '/images/create', handler: createHandler(svc) },
    { method: 'POST', path: '/auth', handler: authHandler(svc) },
    { method: 'GET', path: '/images/*', handler: inspectHandler(svc) },
    { method: 'POST', path: '/images/prune', handler: pruneHandler(svc) },
    { method: 'GET', path: '/images/search', handler: searchHandler() },
    { method: 'POST', path: '/images/*', handler: imagePostHandler(svc, pushHandler(svc)) },
    { method: 'DELETE', path: '/images/*', handler: imageDeleteHandler(svc) },
  ];
}
