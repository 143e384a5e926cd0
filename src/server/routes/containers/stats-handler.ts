import { invalidParameter } from '../../../errors/index.js';
import type { ContainersService } from '../../../services/containers/service.js';
import { responseOf, type Handler } from '../../context.js';
import { boolQuery } from '../../http.js';
import { toWireStats } from './stats-mapper.js';
import { drainOrClose } from '../../../lib/drain.js';

/**
 * GET /containers/{id}/stats: newline-separated JSON objects, one per second with `stream`
 * (the default), or exactly one. The container is resolved before the headers go out; when the
 * client leaves, the abort stops sampling and its timer.
 */
export const statsHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const stream = boolQuery(ctx.query, 'stream', true);
    const oneShot = boolQuery(ctx.query, 'one-shot', false);
    if (stream && oneShot) throw invalidParameter('cannot have stream=true and one-shot=true');
    const res = responseOf(ctx);
    const abort = new AbortController();
    res.once('close', () => abort.abort());
    const { id, name, frames } = svc.stats(ctx.params['id'] ?? '', {
      stream,
      oneShot,
      signal: abort.signal,
    });
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    try {
      for await (const frame of frames) {
        if (abort.signal.aborted) break;
        if (!res.write(`${JSON.stringify(toWireStats(id, name, frame))}\n`)) {
          await drainOrClose(res);
        }
      }
    } catch (e) {
      if (!abort.signal.aborted) ctx.log(`stats: ${String(e)}`);
    }
    res.end();
  };
