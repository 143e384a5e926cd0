import { invalidParameter } from '../../../errors/index.js';
import type { ContainersService } from '../../../services/containers/service.js';
import { responseOf, type Handler, type RequestContext } from '../../context.js';
import { boolQuery, intQuery } from '../../http.js';
import { multiplexedStream, rawStream } from '../../streams/hijack.js';
import { encodeLogBatch } from '../../streams/log-frames.js';
import { drainOrClose } from '../../../lib/drain.js';

const param = (ctx: RequestContext, name: string): string => ctx.params[name] ?? '';

/** Docker's `since`/`until`: unix seconds with an optional fraction, or an RFC 3339 time. */
function timeQuery(q: URLSearchParams, name: string): Date | undefined {
  const v = q.get(name);
  if (v === null || v === '' || v === '0') return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return new Date(Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalidParameter(`invalid value for ${name}: ${v}`);
  return new Date(t);
}

/** GET /containers/{id}/logs */
export const logsHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const q = ctx.query;
    const stdout = boolQuery(q, 'stdout');
    const stderr = boolQuery(q, 'stderr');
    if (!stdout && !stderr)
      throw invalidParameter('Bad parameters: you must choose at least one stream');
    const tailText = q.get('tail');
    const tail =
      tailText === null || tailText === '' || tailText === 'all' ? -1 : intQuery(q, 'tail', -1);
    const timestamps = boolQuery(q, 'timestamps');
    const res = responseOf(ctx);
    const abort = new AbortController();
    res.once('close', () => abort.abort());
    const since = timeQuery(q, 'since');
    const until = timeQuery(q, 'until');
    const { tty, batches } = svc.logs(param(ctx, 'id'), {
      follow: boolQuery(q, 'follow'),
      stdout,
      stderr,
      tail,
      signal: abort.signal,
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
    });
    res.writeHead(200, { 'Content-Type': tty ? rawStream : multiplexedStream });
    res.flushHeaders();
    try {
      for await (const batch of batches) {
        // One write per 64 KiB of log, not one per line: a 100 MB log is a million lines.
        if (!res.write(encodeLogBatch(batch, tty, timestamps))) {
          await drainOrClose(res);
        }
        if (abort.signal.aborted) break;
      }
    } catch (e) {
      if (!abort.signal.aborted) ctx.log(`logs: ${String(e)}`);
    }
    res.end();
  };

/** POST /containers/{id}/attach lives in its own file. */
export { attachHandler } from './attach-handler.js';
