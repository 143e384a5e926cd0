import http, { type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import https from 'node:https';

/** TLS settings for a `tcp://` endpoint, as the docker CLI's `--tls*` flags give them. */
export interface EndpointTls {
  /** PEM of the CA that signed the daemon's certificate (checked only when `verify`). */
  ca?: Buffer;
  /** PEM of the client certificate and its key, sent when the daemon asks for one. */
  cert?: Buffer;
  key?: Buffer;
  /** Check the daemon's certificate against `ca` and its name (`--tlsverify`). */
  verify: boolean;
}

/** Where the daemon is: a unix socket, or a TCP address with optional TLS. */
export type Endpoint =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number; tls?: EndpointTls };

/** `unix:///path` or `tcp://host:port` (for messages). */
export function describeEndpoint(ep: Endpoint): string {
  if (ep.kind === 'unix') return `unix://${ep.socketPath}`;
  return `tcp://${ep.host.includes(':') ? `[${ep.host}]` : ep.host}:${ep.port}`;
}

/**
 * Starts an HTTP request to `ep`: over the socket path, plain TCP, or TLS (with the client
 * certificate and, when verifying, the CA). `opts` holds everything but the address.
 */
export function requestTo(
  ep: Endpoint,
  opts: RequestOptions,
  onResponse?: (res: IncomingMessage) => void,
): ClientRequest {
  if (ep.kind === 'unix') return http.request({ ...opts, socketPath: ep.socketPath }, onResponse);
  const address = { ...opts, host: ep.host, port: ep.port };
  if (ep.tls === undefined) return http.request(address, onResponse);
  const tls = ep.tls;
  return https.request(
    {
      ...address,
      minVersion: 'TLSv1.2',
      rejectUnauthorized: tls.verify,
      ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
      ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
      ...(tls.key !== undefined ? { key: tls.key } : {}),
    },
    onResponse,
  );
}

/** A keep-alive agent of the right kind for `ep` (TLS options travel per request). */
export function agentFor(ep: Endpoint): http.Agent {
  return ep.kind === 'tcp' && ep.tls !== undefined
    ? new https.Agent({ keepAlive: true })
    : new http.Agent({ keepAlive: true });
}
