import { validateRequestBody, type ContainerUpdateBody } from '../../../api/index.js';
import { invalidParameter } from '../../../errors/index.js';
import type { ContainersService } from '../../../services/containers/service.js';
import { responseOf, type Handler, type RequestContext } from '../../context.js';
import { filtersQuery, intQuery, readJsonBody, sendJson } from '../../http.js';
import { resourcesFromHostConfig } from './resources-mapper.js';

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

const isSetValue = (v: unknown): boolean =>
  v !== null && v !== undefined && v !== 0 && v !== '' && !(Array.isArray(v) && v.length === 0);

/** POST /containers/{id}/update: the restart policy and resource limits. */
export const updateHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const body = (await readJsonBody(ctx.req)) ?? {};
    validateRequestBody('ContainerUpdate', body);
    const { RestartPolicy, ...rest } = body as ContainerUpdateBody;
    const resources = resourcesFromHostConfig(rest);
    const known = new Set([
      'Memory',
      'MemorySwap',
      'MemoryReservation',
      'NanoCpus',
      'CpuShares',
      'CpuQuota',
      'CpuPeriod',
      'CpusetCpus',
      'CpusetMems',
      'PidsLimit',
      'OomKillDisable',
      'BlkioWeight',
    ]);
    const other = Object.entries(rest).filter(([k, v]) => !known.has(k) && isSetValue(v));
    if (other.length > 0) {
      throw invalidParameter(
        `updating ${other.map(([k]) => k).join(', ')} is not supported by this engine yet`,
      );
    }
    const warnings = await svc.update(param(ctx, 'id'), {
      ...(RestartPolicy
        ? {
            restartPolicy: {
              name: RestartPolicy.Name ?? '',
              maximumRetryCount: RestartPolicy.MaximumRetryCount ?? 0,
            },
          }
        : {}),
      ...(resources ? { resources } : {}),
    });
    sendJson(responseOf(ctx), 200, { Warnings: warnings });
  };
