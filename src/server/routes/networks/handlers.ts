import {
  validateRequestBody,
  type NetworkConnectRequest,
  type NetworkCreateBody,
  type NetworkDisconnectRequest,
} from '../../../api/index.js';
import { invalidParameter } from '../../../errors/index.js';
import type { NetworksService } from '../../../services/networks/service.js';
import { responseOf, type Handler, type RequestContext } from '../../context.js';
import { filtersQuery, readJsonBody, sendJson } from '../../http.js';
import { createRequestOf, endpointWish, toNetwork } from './mapper.js';

const param = (ctx: RequestContext, name: string): string => ctx.params[name] ?? '';

/** GET /networks */
export const listHandler =
  (svc: NetworksService): Handler =>
  async (ctx) => {
    sendJson(responseOf(ctx), 200, svc.list(filtersQuery(ctx.query)).map(toNetwork));
  };

/** GET /networks/{id} */
export const inspectHandler =
  (svc: NetworksService): Handler =>
  async (ctx) => {
    sendJson(responseOf(ctx), 200, toNetwork(svc.inspect(param(ctx, 'id'))));
  };

/** POST /networks/create */
export const createHandler =
  (svc: NetworksService): Handler =>
  async (ctx) => {
    const body = await readJsonBody(ctx.req);
    validateRequestBody('NetworkCreate', body);
    const { id, warning } = await svc.create(createRequestOf(body as NetworkCreateBody));
    sendJson(responseOf(ctx), 201, { Id: id, Warning: warning });
  };

/** DELETE /networks/{id} */
export const deleteHandler =
  (svc: NetworksService): Handler =>
  async (ctx) => {
    await svc.remove(param(ctx, 'id'));
    responseOf(ctx).writeHead(204).end();
  };

/** POST /networks/prune */
export const pruneHandler =
  (svc: NetworksService): Handler =>
  async (ctx) => {
    const deleted = await svc.prune(filtersQuery(ctx.query));
    sendJson(responseOf(ctx), 200, { NetworksDeleted: deleted });
  };

/** POST /networks/{id}/connect */
export const connectHandler =
  (svc: NetworksService): Handler =>
  async (ctx) => {
    const body = await readJsonBody(ctx.req);
    validateRequestBody('NetworkConnect', body);
    const req = body as NetworkConnectRequest;
    if (!req.Container) throw invalidParameter('no container specified');
    await svc.connect(param(ctx, 'id'), req.Container, endpointWish(req.EndpointConfig));
    responseOf(ctx).writeHead(200).end();
  };

/** POST /networks/{id}/disconnect */
export const disconnectHandler =
  (svc: NetworksService): Handler =>
  async (ctx) => {
    const body = await readJsonBody(ctx.req);
    validateRequestBody('NetworkDisconnect', body);
    const req = body as NetworkDisconnectRequest;
    if (!req.Container) throw invalidParameter('no container specified');
    await svc.disconnect(param(ctx, 'id'), req.Container, req.Force === true);
    responseOf(ctx).writeHead(200).end();
  };
