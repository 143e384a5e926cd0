import { invalidParameter } from '../../../errors/index.js';
import { rfc3339Nano } from '../../../lib/time.js';
import type { ContainersService } from '../../../services/containers/service.js';
import { responseOf, type Handler, type RequestContext } from '../../context.js';
import { boolQuery, intQuery } from '../../http.js';
import { encodeOutput, hijack, multiplexedStream, rawStream } from '../../streams/hijack.js';

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
    const { tty, entries } = svc.logs(param(ctx, 'id'), {
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
      for await (const e of entries) {
        // Docker prints RFC 3339 with nine fractional digits in UTC ('Z'); conmon writes '+00:00'.
        const data = timestamps
          ? Buffer.concat([Buffer.from(`${rfc3339Nano(e.timeNs)} `), e.data])
          : e.data;
        if (!res.write(encodeOutput(tty, e.stream, data))) {
          await new Promise<void>((r) => {
            res.once('drain', r);
            res.once('close', r);
          });
        }
        if (abort.signal.aborted) break;
      }
    } catch (e) {
      if (!abort.signal.aborted) ctx.log(`logs: ${String(e)}`);
    }
    res.end();
  };

/**
 * POST /containers/{id}/attach: hijacks the connection and relays the container's stdio in
 * stdcopy frames (raw for a TTY). Sessions attached before start see all output.
 */
export const attachHandler =
  (svc: ContainersService): Handler =>
  async (ctx) => {
    const q = ctx.query;
    const id = param(ctx, 'id');
    const c = svc.inspect(id); // NotFound before the connection is taken over
    const wantStdin = boolQuery(q, 'stdin');
    const sink = hijack(ctx, c.config.tty ? rawStream : multiplexedStream);
    const { detach } = await svc.attach(c.id, {
      stdout: boolQuery(q, 'stdout'),
      stderr: boolQuery(q, 'stderr'),
      write: (stream, data) => sink.write(encodeOutput(c.config.tty, stream, data)),
      end: () => sink.end(),
      onConnected: (conn) => {
        sink.onClose(() => conn.close());
        const input = sink.input;
        if (!wantStdin || !input) return;
        input.on('data', (d: Buffer) => conn.write(d));
        input.on('end', () => conn.closeStdin());
      },
    });
    sink.onClose(detach);
  };
