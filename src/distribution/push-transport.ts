import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { unauthorized, unavailable } from '../errors/index.js';
import type { AuthConfig } from './auth-config.js';
import { parseChallenges, type Challenge } from './challenge.js';
import { endpointOf, type Endpoint } from './endpoint.js';
import { registryError } from './registry-error.js';
import { readTokenAnswer, tokenUrl } from './token.js';

/**
 * The write side of the Distribution API needs PUT/PATCH with (streamed) bodies and tokens
 * scoped `pull,push`, which the pull side's RegistryClient (GET/HEAD only) does not offer; this
 * is the small transport push uses. It answers Basic and Bearer challenges the same way.
 */

/** One request of a push. `body` is a factory so the request can be replayed after a 401. */
export interface PushRequest {
  method: 'HEAD' | 'GET' | 'POST' | 'PUT' | 'PATCH';
  /** A path under the registry root, or an absolute upload URL (a Location header). */
  url: string;
  /** Token scopes, e.g. `repository:test/busybox:pull,push`. */
  scopes: string[];
  headers?: Record<string, string>;
  body?: () => Buffer | Readable;
  /** Says what the request is for in error messages. */
  what: string;
  /** Statuses the caller handles itself (the response is returned, not thrown). */
  accept?: number[];
}

const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: 8 }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: 8 }),
};
const TIMEOUT_MS = 60_000;

/** An authorized connection to one registry for pushing. */
export class PushTransport {
  readonly endpoint: Endpoint;
  private challenge: Challenge | undefined;
  private readonly tokens = new Map<string, string>();

  constructor(
    domain: string,
    private readonly auth: AuthConfig | undefined,
    insecure: readonly string[] = [],
  ) {
    this.endpoint = endpointOf(domain, insecure);
  }

  /** Sends `r`; a 2xx (or an `accept`ed status) resolves, anything else is a RegistryError. */
  async send(r: PushRequest): Promise<IncomingMessage> {
    for (let round = 0; ; round++) {
      const res = await this.once(r, this.authorization(r.scopes));
      const status = res.statusCode ?? 0;
      if ((status >= 200 && status < 300) || r.accept?.includes(status)) return res;
      if (status === 401 && round === 0) {
        const c = parseChallenges(String(res.headers['www-authenticate'] ?? ''))[0];
        if (c && (c.scheme === 'basic' || c.scheme === 'bearer')) {
          res.resume();
          this.challenge = c;
          if (c.scheme === 'bearer') await this.fetchToken(c, r.scopes);
          continue;
        }
      }
      const err = await registryError(res, r.what);
      // HEAD answers carry no error body: say what a 401 means, as the docker CLI would show it
      if (status === 401 && err.message.endsWith('HTTP 401'))
        throw unauthorized(`${r.what}: unauthorized: authentication required`);
      throw err;
    }
  }

  /** The absolute URL of a registry path or Location header. */
  resolve(urlOrPath: string): URL {
    return new URL(urlOrPath, this.endpoint.baseUrl);
  }

  private authorization(scopes: string[]): string | undefined {
    if (this.challenge?.scheme === 'basic') return this.basic();
    if (this.challenge?.scheme === 'bearer') {
      const t = this.auth?.registrytoken ?? this.tokens.get(scopes.join(' '));
      return t === undefined ? undefined : `Bearer ${t}`;
    }
    return undefined;
  }

  private basic(): string | undefined {
    const a = this.auth;
    if (a?.username === undefined) return undefined;
    return `Basic ${Buffer.from(`${a.username}:${a.password ?? ''}`).toString('base64')}`;
  }

  /** The Docker token protocol: GET realm?service=&scope=… with basic credentials if any. */
  private async fetchToken(c: Challenge, scopes: string[]): Promise<void> {
    if (this.auth?.registrytoken !== undefined) return;
    const url = tokenUrl(this.endpoint.domain, c, scopes);
    const res = await this.once(
      { method: 'GET', url: url.href, scopes, what: 'token' },
      this.basic(),
    );
    const { token } = await readTokenAnswer(this.endpoint.domain, res);
    this.tokens.set(scopes.join(' '), token);
  }

  private once(r: PushRequest, authorization: string | undefined): Promise<IncomingMessage> {
    const url = this.resolve(r.url);
    const tls = url.protocol === 'https:';
    const headers: Record<string, string> = {
      'User-Agent': 'berth/0.1 (docker-compatible)',
      ...(r.headers ?? {}),
    };
    if (authorization !== undefined) headers['Authorization'] = authorization;
    const body = r.body?.();
    if (body === undefined && (r.method === 'PUT' || r.method === 'POST' || r.method === 'PATCH'))
      headers['Content-Length'] ??= '0';
    if (Buffer.isBuffer(body)) headers['Content-Length'] = String(body.byteLength);
    return new Promise((resolve, reject) => {
      const req = (tls ? httpsRequest : httpRequest)(
        url,
        { method: r.method, headers, agent: tls ? agents.https : agents.http, timeout: TIMEOUT_MS },
        resolve,
      );
      req.on('timeout', () =>
        req.destroy(unavailable(`${r.what}: timed out talking to ${this.endpoint.domain}`)),
      );
      req.on('error', (e) =>
        reject(
          e instanceof Error && 'kind' in e
            ? e
            : unavailable(`${r.what}: cannot reach registry ${this.endpoint.domain}: ${e.message}`),
        ),
      );
      if (body === undefined || Buffer.isBuffer(body)) req.end(body);
      else {
        body.on('error', (e) => req.destroy(e));
        body.pipe(req);
      }
    });
  }
}
