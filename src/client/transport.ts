import type http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { agentFor, describeEndpoint, requestTo, type Endpoint } from './endpoint.js';
import { ApiError, DaemonUnreachableError, isConnectError, messageOfErrorBody } from './errors.js';

/** One request to the daemon. `path` is complete (version prefix and query included). */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  path: string;
  /** Serialised as JSON with `Content-Type: application/json`. */
  body?: unknown;
  headers?: OutgoingHttpHeaders;
}

/** Bodies the client reads whole are capped so a misbehaving peer cannot exhaust memory. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * HTTP/1.1 to the daemon (unix socket, TCP or TLS). Ordinary requests share a keep-alive agent (idle sockets
 * are unref'd by Node, so they never hold the process open); `close()` drops them.
 */
export class Transport {
  readonly endpoint: Endpoint;
  private readonly agent: http.Agent;

  constructor(endpoint: Endpoint) {
    this.endpoint = endpoint;
    this.agent = agentFor(endpoint);
  }

  /**
   * Sends a request and resolves with the response once its headers arrive. Non-2xx responses
   * are read and rejected as {@link ApiError}; connect failures as {@link DaemonUnreachableError}.
   */
  async send(spec: RequestSpec): Promise<IncomingMessage> {
    const payload = spec.body === undefined ? undefined : Buffer.from(JSON.stringify(spec.body));
    const headers: OutgoingHttpHeaders = { ...spec.headers };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = requestTo(
        this.endpoint,
        {
          agent: this.agent,
          method: spec.method,
          path: spec.path,
          headers,
        },
        resolve,
      );
      req.on('error', (err) =>
        reject(
          isConnectError(err)
            ? new DaemonUnreachableError(describeEndpoint(this.endpoint), err)
            : err,
        ),
      );
      req.end(payload);
    });
    await throwIfError(res);
    return res;
  }

  /** Sends a request and parses the whole response body as JSON (`undefined` when empty). */
  async json<T>(spec: RequestSpec): Promise<T> {
    const res = await this.send(spec);
    const text = await readText(res);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** Sends a request and discards the body (for 204 answers). */
  async empty(spec: RequestSpec): Promise<IncomingHttpHeaders> {
    const res = await this.send(spec);
    await readText(res);
    return res.headers;
  }

  /** Closes idle keep-alive connections; in-flight requests are not affected. */
  close(): void {
    this.agent.destroy();
  }
}

/**
 * Rejects with an {@link ApiError} built from the body unless the status is 2xx, 101 (upgraded)
 * or 304 (start/stop of a container already in that state: Docker's clients treat it as success).
 */
export async function throwIfError(res: IncomingMessage): Promise<void> {
  const status = res.statusCode ?? 0;
  if ((status >= 200 && status < 300) || status === 101 || status === 304) return;
  let body = '';
  try {
    body = await readText(res);
  } catch {
    // a truncated error body still yields an ApiError with the status
  }
  throw new ApiError(status, messageOfErrorBody(status, body));
}

/** Reads a whole body as UTF-8, failing past {@link MAX_BODY_BYTES}. */
export async function readText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      res.destroy();
      throw new Error(`response body larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
