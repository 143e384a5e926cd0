import { decodeRegistryAuth } from '../../../distribution/auth-config.js';
import type { ImagesService } from '../../../services/images/service.js';
import { classify } from '../../errors.js';
import { responseOf, type RequestContext } from '../../context.js';

/**
 * POST /images/{name}/push?tag=: the name, tag, local images and credentials are resolved first
 * (404/400 as plain errors); then a 200 with Docker's progress JSON lines, ending in the digest
 * line, or in an `errorDetail` line when the registry refuses something.
 */
export const pushHandler =
  (svc: ImagesService) =>
  async (ctx: RequestContext, name: string): Promise<void> => {
    const auth = decodeRegistryAuth(ctx.req.headers['x-registry-auth']);
    const plan = await svc.planPush(name, ctx.query.get('tag') ?? '');
    const res = responseOf(ctx);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const write = (m: object) => {
      if (!res.destroyed) res.write(`${JSON.stringify(m)}\n`);
    };
    write({ status: `The push refers to repository [${plan.repository}]` });
    // "The push is cancelled if the HTTP connection is closed" (the spec)
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    try {
      await svc.push(plan, auth, write, abort.signal);
    } catch (e) {
      if (abort.signal.aborted) return;
      const { message } = classify(e);
      write({ errorDetail: { message }, error: message });
    }
    res.end();
  };
