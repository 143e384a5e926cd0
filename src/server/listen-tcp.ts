import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import type { Server } from 'node:http';
import { invalidParameter } from '../errors/index.js';

/** A TCP listener feeding the API server; `close()` stops it and drops its connections. */
export interface TcpListener {
  /** `tcp://host:port` as bound (the real port when 0 was asked for). */
  readonly address: string;
  close(): Promise<void>;
}

/** Splits `tcp://ip:port` (IPv6 in brackets) for listening; the port is required. */
export function parseListenAddress(host: string): { ip: string; port: number } {
  const m = /^tcp:\/\/(\[[0-9a-fA-F:.]+\]|[^:/[\]]+):(\d{1,5})\/?$/.exec(host);
  const port = Number(m?.[2]);
  if (m === null || port > 65535) {
    throw invalidParameter(`invalid listen address ${JSON.stringify(host)}: want tcp://ip:port`);
  }
  const ip = m[1] ?? '';
  return { ip: ip.startsWith('[') ? ip.slice(1, -1) : ip, port };
}

/**
 * Listens on `host` (tcp://ip:port) and hands every accepted connection to the API server: plain
 * TCP when `tls` is undefined, otherwise TLS (a failed handshake, e.g. a client without a
 * certificate under --tlsverify, never reaches HTTP). Hijacked streams work on both, as the API
 * server sees an ordinary duplex socket.
 */
export async function listenTcp(
  server: Server,
  host: string,
  tls: TlsOptions | undefined,
  log: (m: string) => void,
): Promise<TcpListener> {
  const { ip, port } = parseListenAddress(host);
  const open = new Set<Socket>();
  // Half-open like Node's own HTTP server: a client that ends stdin on a hijacked stream still
  // receives the output that follows.
  const accept = (socket: Socket): void => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    server.emit('connection', socket);
  };
  let front: NetServer;
  if (tls === undefined) {
    front = createNetServer({ allowHalfOpen: true }, accept);
  } else {
    const tlsServer = createTlsServer({ ...tls, allowHalfOpen: true }, accept);
    tlsServer.on('tlsClientError', (err, socket) => {
      log(`TLS handshake from ${socket.remoteAddress ?? '?'} refused: ${err.message}`);
      socket.destroy();
    });
    front = tlsServer;
  }
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(port, ip, () => {
      front.off('error', reject);
      resolve();
    });
  });
  const bound = front.address();
  const boundPort = typeof bound === 'object' && bound !== null ? bound.port : port;
  return {
    address: `tcp://${ip.includes(':') ? `[${ip}]` : ip}:${boundPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        front.close(() => resolve());
        for (const s of open) s.destroy();
      }),
  };
}
