import type { ImagesService } from '../../../services/images/service.js';
import { responseOf, type RequestContext } from '../../context.js';
import { boolQuery } from '../../http.js';
import { openProgressStream } from '../../streams/json-progress.js';

/**
 * GET /images/get?names=… and GET /images/{name}/get (`docker save`). Every name is resolved
 * first (404 before any byte); the archive then streams as `application/x-tar`. A failure after
 * the first byte aborts the connection: a tar cannot carry an error.
 */
export async function saveHandler(svc: ImagesService, ctx: RequestContext, names: string[]) {
  const archive = await svc.save(names);
  const res = responseOf(ctx);
  res.writeHead(200, { 'Content-Type': 'application/x-tar' });
  archive.on('error', (e) => {
    ctx.log(`save of ${names.join(', ')} failed: ${e.message}`);
    res.destroy(e);
  });
  res.on('close', () => archive.destroy());
  archive.pipe(res);
}

/**
 * POST /images/load?quiet= (`docker load`): the body is a docker-archive or OCI layout tar
 * (plain or gzip). It is staged and verified completely before the 200 (a bad archive is a 400);
 * then the layers are stored and unpacked with Docker's progress JSON (`Loading layer` unless
 * quiet, then `Loaded image: name:tag`), a later failure as `errorDetail` in the stream.
 */
export const loadHandler =
  (svc: ImagesService) =>
  async (ctx: RequestContext): Promise<void> => {
    const quiet = boolQuery(ctx.query, 'quiet');
    let job;
    try {
      job = await svc.prepareLoad(ctx.req);
    } catch (e) {
      ctx.req.resume(); // discard what is left of the body so the error answer gets through
      throw e;
    }
    const stream = openProgressStream(responseOf(ctx));
    try {
      await job.run((m) => stream.write(m), quiet);
      stream.end();
    } catch (e) {
      ctx.log(`load failed: ${(e as Error).message}`);
      stream.fail(e);
    } finally {
      await job.dispose();
    }
  };
