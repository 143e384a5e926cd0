import { diskUsageTypes } from '../../../services/system/df.js';
import type { SystemService } from '../../../services/system/service.js';
import { responseOf, type Handler } from '../../context.js';
import { boolQuery, sendJson } from '../../http.js';
import { toDiskUsageBody } from './df-mapper.js';

/**
 * GET /system/df?type=…&verbose=: disk usage of images, containers, volumes and build cache
 * (`type` narrows it, API ≥ 1.42). Clients before API 1.52 get Docker's flat lists, later ones
 * the per-type counts (see df-mapper.ts). A bad type is a 400.
 */
export const dfHandler =
  (system: SystemService): Handler =>
  async (ctx) => {
    const types = diskUsageTypes(ctx.query.getAll('type'));
    const du = await system.df(types);
    sendJson(
      responseOf(ctx),
      200,
      toDiskUsageBody(du, ctx.apiVersion, boolQuery(ctx.query, 'verbose')),
    );
  };
