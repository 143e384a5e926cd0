import type { ContainersService } from '../../../services/containers/service.js';
import { responseOf, type Handler, type RequestContext } from '../../context.js';
import { filtersQuery, intQuery, sendJson } from '../../http.js';

const param = (ctx: RequestContext, name: string): string => ctx.params[name] ?? '';
const noContent = (ctx: RequestContext): void => void responseOf(ctx).writeHead(204).end();

/** POST /containers/{id}/pause */
export const pauseHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    await svc.pause(param(ctx, 'id'));
    noContent(ctx);
  };

/** POST /containers/{id}/unpause */
export const unpauseHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    await svc.unpause(param(ctx, 'id'));
    noContent(ctx);
  };

/** POST /containers/{id}/restart */
export const restartHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const t = ctx.query.get('t');
    const signal = ctx.query.get('signal');
    await svc.restart(param(ctx, 'id'), {
      ...(t !== null && t !== '' ? { timeoutSec: intQuery(ctx.query, 't', 10) } : {}),
      ...(signal ? { signal } : {}),
    });
    noContent(ctx);
  };

/** POST /containers/{id}/rename?name= */
export const renameHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    await svc.rename(param(ctx, 'id'), ctx.query.get('name') ?? '');
    noContent(ctx);
  };

/** POST /containers/prune */
export const pruneHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const r = await svc.prune(filtersQuery(ctx.query));
    sendJson(responseOf(ctx), 200, {
      ContainersDeleted: r.deleted,
      SpaceReclaimed: r.spaceReclaimed,
    });
  };

/** GET /containers/{id}/top?ps_args= */
export const topHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const r = await svc.top(param(ctx, 'id'), ctx.query.get('ps_args') ?? '');
    sendJson(responseOf(ctx), 200, { Titles: r.titles, Processes: r.processes });
  };
