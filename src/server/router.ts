import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import FindMyWay from 'find-my-way';
import { notFound } from '../errors/index.js';
import { splitVersion } from './api-version.js';
import type { Handler, RequestContext, Route } from './context.js';
import { sendError, sendErrorRaw } from './errors.js';

type Store = { handler: Handler; upgradable: boolean };

/** Common headers on every response, as dockerd sends them. */
export const serverHeader = 'Berth/0.1.0 (linux)';

/**
 * Routes requests (with or without the `/vX.Y` prefix) to handlers, and upgrade requests to the
 * handlers that accept them. Every error, thrown anywhere in a handler, is answered through
 * errors.ts.
 */
export class Router {
  private readonly fmw = FindMyWay({ ignoreTrailingSlash: true, caseSensitive: true });

  constructor(
    routes: readonly Route[],
    private readonly log: (m: string) => void,
  ) {
    for (const r of routes) {
      const store: Store = { handler: r.handler, upgradable: r.upgradable ?? false };
      this.fmw.on(r.method, r.path, () => undefined, store);
    }
  }

  private find(req: IncomingMessage): {
    ctx: Omit<RequestContext, 'res' | 'upgrade'>;
    store: Store;
  } {
    const url = new URL(req.url ?? '/', 'http://berth');
    const { version, path } = splitVersion(url.pathname);
    const found = this.fmw.find(req.method as 'GET', path);
    if (!found) throw notFound('page not found');
    return {
      store: found.store as Store,
      ctx: {
        req,
        params: found.params,
        query: url.searchParams,
        apiVersion: version,
        log: this.log,
      },
    };
  }

  /** Handles an ordinary request. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Server', serverHeader);
    try {
      const { ctx, store } = this.find(req);
      await store.handler({ ...ctx, res });
    } catch (e) {
      sendError(res, e, this.log);
    }
  }

  /** Handles a request that asked for `Upgrade: tcp` (attach, exec start). */
  async handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    try {
      const { ctx, store } = this.find(req);
      if (!store.upgradable) throw notFound('page not found');
      await store.handler({ ...ctx, upgrade: { socket, head } });
    } catch (e) {
      if (!socket.destroyed) sendErrorRaw(socket, e, this.log);
    }
  }
}
