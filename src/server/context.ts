import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What a handler receives for one request. */
export interface RequestContext {
  req: IncomingMessage;
  /** Present for ordinary requests. */
  res?: ServerResponse;
  /** Present when the client asked to upgrade (hijack) the connection. */
  upgrade?: { socket: Socket; head: Buffer };
  params: Record<string, string | undefined>;
  query: URLSearchParams;
  /** The API version the client speaks (from the /vX.Y prefix, or the server's own). */
  apiVersion: string;
  log: (msg: string) => void;
}

/** A request handler. It sets the status itself; thrown errors go through errors.ts. */
export type Handler = (ctx: RequestContext) => Promise<void>;

/** One route. `upgradable` handlers also receive upgrade requests. */
export interface Route {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  handler: Handler;
  upgradable?: boolean;
}

/** The ServerResponse of a non-upgrade request; handlers that never upgrade use this. */
export function responseOf(ctx: RequestContext): ServerResponse {
  if (!ctx.res) throw new Error(`${ctx.req.method} ${ctx.req.url}: this endpoint does not upgrade`);
  return ctx.res;
}
