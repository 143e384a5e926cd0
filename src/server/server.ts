import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Route } from './context.js';
import { Router } from './router.js';

/** Builds the HTTP server of the Engine API from its routes. Listening is the caller's job. */
export function createApiServer(routes: readonly Route[], log: (m: string) => void): Server {
  const router = new Router(routes, log);
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    void router.handle(req, res);
  });
  server.on('upgrade', (req, socket, head) => {
    void router.handleUpgrade(req, socket as Socket, head);
  });
  // Long-lived streams (logs -f, wait, attach) must not be cut by Node's request timeout.
  server.requestTimeout = 0;
  return server;
}
