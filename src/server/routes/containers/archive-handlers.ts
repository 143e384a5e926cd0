import { encodePathStat } from '../../../archive/path-stat.js';
import { invalidParameter } from '../../../errors/index.js';
import type { ContainersService } from '../../../services/containers/service.js';
import { responseOf, type Handler, type RequestContext } from '../../context.js';
import { boolQuery, sendJson } from '../../http.js';

const statHeader = 'X-Docker-Container-Path-Stat';

function pathParam(ctx: RequestContext): string {
  const path = ctx.query.get('path');
  if (path === null || path === '') throw invalidParameter('path is required');
  return path;
}

/** HEAD /containers/{id}/archive?path=: the path's stat in the header, no body. */
export const archiveHeadHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const stat = await svc.archiveStat(ctx.params['id'] ?? '', pathParam(ctx));
    responseOf(ctx)
      .writeHead(200, { [statHeader]: encodePathStat(stat), 'Content-Length': '0' })
      .end();
  };

/**
 * GET /containers/{id}/archive?path=: a tar of the path (`application/x-tar`) with its stat in
 * the header. Every error comes before the first byte; one after it aborts the connection (a
 * tar cannot carry an error). A client that goes away releases the container at once.
 */
export const archiveGetHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const id = ctx.params['id'] ?? '';
    const { stat, stream } = await svc.archiveGet(id, pathParam(ctx));
    const res = responseOf(ctx);
    res.writeHead(200, { 'Content-Type': 'application/x-tar', [statHeader]: encodePathStat(stat) });
    stream.on('error', (e) => {
      ctx.log(`archive of ${id} failed: ${e.message}`);
      res.destroy(e);
    });
    res.on('close', () => stream.destroy());
    stream.pipe(res);
  };

/**
 * PUT /containers/{id}/archive?path=&noOverwriteDirNonDir=&copyUIDGID=: extracts the tar body
 * (plain, gzip or zstd) into the directory `path`; 200 with an empty body when done. On an error
 * the rest of the body is discarded so the answer reaches the client.
 */
export const archivePutHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    try {
      await svc.archivePut(ctx.params['id'] ?? '', pathParam(ctx), ctx.req, {
        noOverwriteDirNonDir: boolQuery(ctx.query, 'noOverwriteDirNonDir'),
        copyUIDGID: boolQuery(ctx.query, 'copyUIDGID'),
      });
    } catch (e) {
      ctx.req.resume();
      throw e;
    }
    responseOf(ctx).writeHead(200, { 'Content-Length': '0' }).end();
  };

/** GET /containers/{id}/changes (`docker diff`): `[{Path, Kind}]`, sorted by path. */
export const changesHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    sendJson(responseOf(ctx), 200, await svc.changes(ctx.params['id'] ?? ''));
  };
