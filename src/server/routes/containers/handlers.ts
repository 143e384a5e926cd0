import { validateRequestBody, type ContainerCreateBody } from '../../../api/index.js';
import { invalidParameter } from '../../../errors/index.js';
import type { ContainersService } from '../../../services/containers/service.js';
import type { WaitCondition } from '../../../services/containers/types.js';
import { responseOf, type Handler, type RequestContext } from '../../context.js';
import { boolQuery, filtersQuery, intQuery, readJsonBody, sendJson } from '../../http.js';
import { createRequestFromBody } from './create-mapper.js';
import { toInspect, toSummary } from './view-mapper.js';

const param = (ctx: RequestContext, name: string): string => ctx.params[name] ?? '';

/** POST /containers/create */
export const createHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const body = await readJsonBody(ctx.req);
    if (body === undefined)
      throw invalidParameter('config cannot be empty in order to create a container');
    validateRequestBody('ContainerCreate', body);
    const req = createRequestFromBody(body as ContainerCreateBody, ctx.query.get('name'));
    const { id, warnings } = await svc.create(req);
    sendJson(responseOf(ctx), 201, { Id: id, Warnings: warnings });
  };

/** POST /containers/{id}/start */
export const startHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    await svc.start(param(ctx, 'id'));
    responseOf(ctx).writeHead(204).end();
  };

/** POST /containers/{id}/stop */
export const stopHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const t = ctx.query.get('t');
    const signal = ctx.query.get('signal');
    await svc.stop(param(ctx, 'id'), {
      ...(t !== null && t !== '' ? { timeoutSec: intQuery(ctx.query, 't', 10) } : {}),
      ...(signal ? { signal } : {}),
    });
    responseOf(ctx).writeHead(204).end();
  };

/** POST /containers/{id}/kill */
export const killHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    await svc.kill(param(ctx, 'id'), ctx.query.get('signal') || 'SIGKILL');
    responseOf(ctx).writeHead(204).end();
  };

/** DELETE /containers/{id} */
export const deleteHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    if (boolQuery(ctx.query, 'link')) throw invalidParameter('legacy links are not supported');
    await svc.remove(param(ctx, 'id'), {
      force: boolQuery(ctx.query, 'force'),
      removeVolumes: boolQuery(ctx.query, 'v'),
    });
    responseOf(ctx).writeHead(204).end();
  };

/** GET /containers/json */
export const listHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const list = svc.list({
      all: boolQuery(ctx.query, 'all'),
      limit: intQuery(ctx.query, 'limit', -1),
      filters: filtersQuery(ctx.query),
    });
    const sizes = boolQuery(ctx.query, 'size') ? await svc.sizes(list.map((c) => c.id)) : null;
    sendJson(
      responseOf(ctx),
      200,
      list.map((c) => toSummary(c, sizes?.get(c.id))),
    );
  };

/** GET /containers/{id}/json */
export const inspectHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const c = svc.inspect(param(ctx, 'id'));
    const size = boolQuery(ctx.query, 'size') ? (await svc.sizes([c.id])).get(c.id) : undefined;
    sendJson(responseOf(ctx), 200, toInspect(c, {}, size));
  };

const conditions = new Set(['not-running', 'next-exit', 'removed']);

/**
 * POST /containers/{id}/wait: headers go out at once, so a client knows its wait is registered
 * before it starts the container; the body follows when the condition is met.
 */
export const waitHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const condition = ctx.query.get('condition') || 'not-running';
    if (!conditions.has(condition)) throw invalidParameter(`invalid condition: "${condition}"`);
    const res = responseOf(ctx);
    const w = svc.wait(param(ctx, 'id'), condition as WaitCondition);
    res.once('close', w.cancel);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    const r = await w.result;
    res.end(
      JSON.stringify(
        r.error
          ? { StatusCode: r.statusCode, Error: { Message: r.error } }
          : { StatusCode: r.statusCode },
      ),
    );
  };
