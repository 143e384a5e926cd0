import { validateRequestBody, type VolumeCreateRequest } from '../../../api/index.js';
import { unavailable } from '../../../errors/index.js';
import type { VolumesService } from '../../../services/volumes/service.js';
import { responseOf, type Handler, type RequestContext } from '../../context.js';
import { boolQuery, filtersQuery, readJsonBody, sendJson } from '../../http.js';
import { toVolume } from './view-mapper.js';

const name = (ctx: RequestContext): string => decodeURIComponent(ctx.params['name'] ?? '');

/** Drops nulls from a string map (the lenient request schema allows them). */
const strings = (m: Record<string, string | null> | null | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(m ?? {}).filter(([, v]) => v !== null)) as Record<
    string,
    string
  >;

/** GET /volumes */
export const listHandler =
  (svc: VolumesService): Handler =>
  async (ctx) => {
    const r = await svc.list(filtersQuery(ctx.query));
    sendJson(responseOf(ctx), 200, { Volumes: r.volumes.map(toVolume), Warnings: r.warnings });
  };

/** POST /volumes/create: an existing name answers with that volume (201, as Docker). */
export const createHandler =
  (svc: VolumesService): Handler =>
  async (ctx) => {
    const body = (await readJsonBody(ctx.req)) ?? {};
    validateRequestBody('VolumeCreate', body);
    const b = body as { [K in keyof VolumeCreateRequest]?: VolumeCreateRequest[K] | null };
    const v = await svc.create({
      ...(b.Name ? { name: b.Name } : {}),
      ...(b.Driver ? { driver: b.Driver } : {}),
      driverOpts: strings(b.DriverOpts),
      labels: strings(b.Labels),
    });
    sendJson(responseOf(ctx), 201, toVolume(v));
  };

/** GET /volumes/{name} */
export const inspectHandler =
  (svc: VolumesService): Handler =>
  async (ctx) => {
    sendJson(responseOf(ctx), 200, toVolume(await svc.inspect(name(ctx))));
  };

/** PUT /volumes/{name}: only cluster volumes can be updated, and Berth has no swarm. */
export const updateHandler =
  (svc: VolumesService): Handler =>
  async (ctx) => {
    await svc.inspect(name(ctx)); // 404 first for a missing volume
    throw unavailable('volume update only valid for cluster volumes, but swarm is unavailable');
  };

/** DELETE /volumes/{name} */
export const deleteHandler =
  (svc: VolumesService): Handler =>
  async (ctx) => {
    await svc.remove(name(ctx), { force: boolQuery(ctx.query, 'force') });
    responseOf(ctx).writeHead(204).end();
  };

/** POST /volumes/prune */
export const pruneHandler =
  (svc: VolumesService): Handler =>
  async (ctx) => {
    const r = await svc.prune(filtersQuery(ctx.query));
    sendJson(responseOf(ctx), 200, {
      VolumesDeleted: r.deleted.length > 0 ? r.deleted : null,
      SpaceReclaimed: r.spaceReclaimed,
    });
  };
