import { invalidParameter } from '../../../errors/index.js';
import { parseRfc3339Nano } from '../../../lib/time.js';
import type { SystemService } from '../../../services/system/service.js';
import { responseOf, type Handler } from '../../context.js';
import { filtersQuery } from '../../http.js';
import { toWireEvent } from './event-mapper.js';

/** A client that stops reading is cut off once this much output is queued for it. */
const maxQueuedBytes = 8 * 1024 * 1024;

/**
 * Docker's `since`/`until` for events: unix seconds with an optional fraction (`1700000000.5`),
 * or an RFC 3339 time; epoch nanoseconds, or undefined when absent.
 */
export function eventTimeQuery(q: URLSearchParams, name: string): bigint | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const m = /^(\d{1,12})(?:\.(\d{1,9}))?$/.exec(v);
  if (m) return BigInt(m[1] ?? '0') * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
  if (/^\d{4}-\d\d-\d\dT/.test(v) && !Number.isNaN(Date.parse(v.replace(/\.\d+/, '')))) {
    return parseRfc3339Nano(v);
  }
  throw invalidParameter(`invalid value for ${name}: ${v}`);
}

/**
 * GET /events: one JSON object per line, history first (with `since`/`until`), then live events
 * until `until` or until the client leaves. Bad parameters are a 400 before anything is sent; the
 * headers go out at once so a client sees the stream open before the first event.
 */
export const eventsHandler =
  (system: SystemService): Handler =>
  async (ctx) => {
    const sinceNano = eventTimeQuery(ctx.query, 'since');
    const untilNano = eventTimeQuery(ctx.query, 'until');
    if (sinceNano !== undefined && untilNano !== undefined && untilNano < sinceNano) {
      throw invalidParameter(
        `\`since\` time (${ctx.query.get('since')}) cannot be after \`until\` time (${ctx.query.get('until')})`,
      );
    }
    const filters = filtersQuery(ctx.query);
    const res = responseOf(ctx);
    const head = (): void => {
      if (res.headersSent) return;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
    };
    await new Promise<void>((resolve) => {
      let close = (): void => undefined;
      const finish = (): void => {
        close();
        if (!res.writableEnded) res.end();
        resolve();
      };
      close = system.events(
        {
          filters,
          ...(sinceNano !== undefined ? { sinceNano } : {}),
          ...(untilNano !== undefined ? { untilNano } : {}),
        },
        {
          event: (ev) => {
            head();
            if (res.destroyed) return;
            res.write(`${JSON.stringify(toWireEvent(ev))}\n`);
            if (res.writableLength > maxQueuedBytes) res.destroy();
          },
          end: () => {
            head();
            finish();
          },
        },
      );
      head();
      res.once('close', finish);
      if (res.destroyed || res.closed) finish();
    });
  };
