import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** One HTTP request to a registry or token server. */
export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Deadline for the response headers, and for each gap between body chunks (default 30 s). */
  timeoutMs?: number;
}

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 16 });
let httpsAgent: HttpsAgent | undefined;

/**
 * HTTPS uses the system's CA bundle (Debian's ca-certificates), as Docker does, rather than the
 * Mozilla list compiled into Node; Node's own list is the fallback when the bundle is missing.
 */
function tlsAgent(): HttpsAgent {
  if (!httpsAgent) {
    let ca: string | undefined;
    try {
      ca = readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8');
    } catch {
      ca = undefined;
    }
    httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 16, ...(ca ? { ca } : {}) });
  }
  return httpsAgent;
}

const MAX_REDIRECTS = 5;

/**
 * Sends a request and resolves with the response once its headers arrive; follows redirects
 * (blob storage often lives elsewhere), dropping the Authorization header when the host changes.
 * The body is an IncomingMessage: the caller must consume or destroy it. An idle body is
 * destroyed with an ETIMEDOUT error after `timeoutMs`.
 */
export async function send(req: HttpRequest): Promise<IncomingMessage> {
  let url = new URL(req.url);
  let headers = { ...(req.headers ?? {}) };
  let method = req.method;
  for (let hop = 0; ; hop++) {
    const res = await once(method, url, headers, req.body, req.timeoutMs ?? 30_000);
    const loc = res.headers.location;
    if (res.statusCode === undefined || ![301, 302, 303, 307, 308].includes(res.statusCode) || !loc)
      return res;
    res.resume();
    if (hop >= MAX_REDIRECTS) throw new Error(`too many redirects fetching ${req.url}`);
    const next = new URL(loc, url);
    if (next.protocol !== 'http:' && next.protocol !== 'https:')
      throw new Error(`refusing a redirect to ${next.protocol}`);
    if (next.host !== url.host) {
      const { Authorization: _drop, ...rest } = headers;
      headers = rest;
    }
    if (res.statusCode === 303) method = 'GET';
    url = next;
  }
}

function once(
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const tls = url.protocol === 'https:';
    const fn = tls ? httpsRequest : httpRequest;
    const r = fn(
      url,
      {
        method,
        headers:
          body !== undefined
            ? { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }
            : headers,
        agent: tls ? tlsAgent() : httpAgent,
        timeout: timeoutMs,
      },
      (res) => {
        res.socket.setTimeout(timeoutMs);
        resolve(res);
      },
    );
    r.on('timeout', () => {
      const e = Object.assign(new Error(`timed out talking to ${url.host}`), { code: 'ETIMEDOUT' });
      r.destroy(e);
    });
    r.on('error', reject);
    r.end(body);
  });
}

/** Reads a (small) body up to `max` bytes; more is an error. */
export async function readBody(res: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of res as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > max) {
      res.destroy();
      throw new Error(`response body is larger than ${max} bytes`);
    }
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}
