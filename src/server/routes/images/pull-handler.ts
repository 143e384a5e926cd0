import { decodeRegistryAuth } from '../../../distribution/auth-config.js';
import type { ImagesService } from '../../../services/images/service.js';
import { responseOf, type RequestContext } from '../../context.js';
import { openProgressStream } from '../../streams/json-progress.js';

/** The `name[:tag|@digest]` of `fromImage` + `tag` (Docker puts a digest in `tag` too). */
export function pullReference(fromImage: string, tag: string): string {
  if (tag === '') return fromImage;
  return tag.startsWith('sha256:') ? `${fromImage}@${tag}` : `${fromImage}:${tag}`;
}

/**
 * POST /images/create?fromImage=&tag=&platform= (a pull). The reference, credentials
 * (X-Registry-Auth), manifest and config are resolved first, so an unknown repository or tag is a
 * 404 and a bad reference a 400 before any byte; then 200 and Docker's progress JSON, with a
 * failure as `errorDetail` in the stream.
 */
export const pullHandler =
  (svc: ImagesService) =>
  async (ctx: RequestContext): Promise<void> => {
    const ref = pullReference(ctx.query.get('fromImage') ?? '', ctx.query.get('tag') ?? '');
    const platform = ctx.query.get('platform') ?? '';
    const auth = decodeRegistryAuth(ctx.req.headers['x-registry-auth']);
    const prepared = await svc.preparePull({
      ref,
      ...(platform !== '' ? { platform } : {}),
      auth,
    });
    const stream = openProgressStream(responseOf(ctx));
    try {
      await prepared.run((m) => stream.write(m));
      stream.end();
    } catch (e) {
      ctx.log(`pull of ${prepared.display} failed: ${(e as Error).message}`);
      stream.fail(e);
    }
  };
