import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Route } from './context.js';
import { Router } from './router.js';

/** The hijacked (upgraded) connections of each API server: Node's server no longer tracks them. */
const hijacked = new WeakMap<Server, Set<Socket>>();

/** Builds the HTTP server of the Engine API from its routes. Listening is the caller's job. */
export function createApiServer(routes: readonly Route[], log: (m: string) => void): Server {
  const router = new Router(routes, log);
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    void router.handle(req, res);
  });
  const upgraded = new Set<Socket>();
  hijacked.set(server, upgraded);
  server.on('upgrade', (req, socket, head) => {
    upgraded.add(socket as Socket);
    socket.once('close', () => upgraded.delete(socket as Socket));
    void router.handleUpgrade(req, socket as Socket, head);
  });
  // Long-lived streams (logs -f, wait, attach) must not be cut by Node's request timeout.
  server.requestTimeout = 0;
  return server;
}

/**
 * Stops an API server built by {@link createApiServer}: no new connections, every open one ended,
 * hijacked attach and exec streams included (a client holding one must not keep a stopping
 * daemon alive). Resolves once the server has closed.
 */
export function closeApiServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
    for (const s of hijacked.get(server) ?? []) s.destroy();
  });
}
