import { invalidParameter } from '../../../errors/index.js';
import type { ImagesService } from '../../../services/images/service.js';
import { responseOf, type RequestContext } from '../../context.js';
import { openProgressStream } from '../../streams/json-progress.js';

/**
 * POST /images/create?fromSrc=-&repo=&tag=&changes=&message= (`docker import`): the request body
 * is a rootfs tar (plain or gzip). The reference and every `changes` line are checked before the
 * body is read; the image is built completely before the 200, so every failure is a status. The
 * answer is Docker's one progress line `{"status":"sha256:…"}`. Only `fromSrc=-` is supported:
 * this engine does not download from URLs.
 */
export const importHandler =
  (svc: ImagesService) =>
  async (ctx: RequestContext): Promise<void> => {
    try {
      const src = ctx.query.get('fromSrc') ?? '';
      if (src !== '-')
        throw invalidParameter(
          `importing from ${JSON.stringify(src)} is not supported: send the tar as the body with fromSrc=-`,
        );
      const run = svc.prepareImport({
        repo: ctx.query.get('repo') ?? '',
        tag: ctx.query.get('tag') ?? '',
        changes: ctx.query.getAll('changes'),
        message: ctx.query.get('message') ?? '',
      });
      const id = await run(ctx.req);
      const stream = openProgressStream(responseOf(ctx));
      stream.write({ status: id });
      stream.end();
    } catch (e) {
      ctx.req.resume(); // discard what is left of the body so the error answer gets through
      throw e;
    }
  };
