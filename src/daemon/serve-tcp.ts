import type { Route } from '../server/context.js';
import { createApiServer } from '../server/server.js';
import { listenTcp, type TcpListener } from '../server/listen-tcp.js';
import { loadTlsServerOptions, type TcpSecurity } from './tls.js';

/**
 * Serves the API on every `tcp://` host, over TLS unless the operator chose `--insecure-tcp`, in
 * which case a loud warning is logged at every start (an open Engine API is a root shell).
 */
export async function serveTcp(
  hosts: readonly string[],
  security: TcpSecurity | undefined,
  routes: readonly Route[],
  log: (m: string) => void,
): Promise<TcpListener[]> {
  if (hosts.length === 0) return [];
  // Never default to plain TCP: the caller must have decided (see tcpSecurity).
  if (security === undefined) throw new Error('tcp hosts given without a TLS decision');
  const tls = security.kind === 'tls' ? await loadTlsServerOptions(security) : undefined;
  const listeners: TcpListener[] = [];
  try {
    for (const host of hosts) {
      listeners.push(await listenTcp(createApiServer(routes, log), host, tls, log));
    }
  } catch (e) {
    await Promise.all(listeners.map((l) => l.close()));
    throw e;
  }
  const where = listeners.map((l) => l.address).join(', ');
  if (security.kind === 'insecure') {
    const bar = '!'.repeat(78);
    log(
      `${bar}\nWARNING: serving the Engine API on ${where} WITHOUT TLS OR AUTHENTICATION.\n` +
        'Anyone who can reach it can run containers as root on this host (--insecure-tcp).\n' +
        `Use --tlsverify with --tlscacert, --tlscert and --tlskey instead.\n${bar}`,
    );
  } else {
    const who = security.verifyClients ? 'client certificates required' : 'no client verification';
    log(`serving TLS on ${where} (${who})`);
  }
  return listeners;
}
