import type { IncomingMessage } from 'node:http';
import { BerthError, systemError } from '../errors/index.js';
import type { AuthConfig } from './auth-config.js';
import { parseChallenges, type Challenge } from './challenge.js';
import { endpointOf, type Endpoint } from './endpoint.js';
import { send } from './http-request.js';
import { registryError } from './registry-error.js';
import { readTokenAnswer, tokenUrl } from './token.js';

/** Options of a {@link RegistryClient}. */
export interface RegistryClientOptions {
  /** `--insecure-registry` entries: plain HTTP for these (loopback always). */
  insecure?: readonly string[];
  auth?: AuthConfig | undefined;
  /** Attempts for connection errors, 429 and 5xx (default 4), with exponential backoff. */
  attempts?: number;
  /** First backoff delay in ms (default 200; doubles each retry). */
  backoffMs?: number;
}

/** One request to the registry's API. */
export interface RegistryRequest {
  method?: 'GET' | 'HEAD';
  /** Path under the registry root, e.g. `/v2/library/busybox/manifests/latest`. */
  path: string;
  /** Token scope, e.g. `repository:library/busybox:pull`. */
  scope?: string;
  accept?: string;
  /** Says what the request is for in error messages (`manifest for x:1`). */
  what: string;
  timeoutMs?: number;
}

const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
]);

/** True for failures worth retrying: dropped connections, timeouts, 429 and 5xx. */
export function isRetryable(e: unknown): boolean {
  if (e instanceof BerthError) return e.kind === 'Unavailable';
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return (
    (code !== undefined && RETRYABLE_CODES.has(code)) ||
    /socket hang up|aborted/i.test(String((e as Error)?.message))
  );
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A client of one registry (Distribution API v2). It answers auth challenges itself: Bearer
 * (fetches a token from the advertised realm for the request's scope, with basic credentials
 * when it has them, cached per scope until expiry) and Basic. Every failed response becomes a
 * RegistryError carrying the registry's `errors[0].message`.
 */
export class RegistryClient {
  readonly endpoint: Endpoint;
  private readonly tokens = new Map<string, { token: string; expires: number }>();
  private challenge: Challenge | undefined;

  constructor(
    domain: string,
    private readonly opts: RegistryClientOptions = {},
  ) {
    this.endpoint = endpointOf(domain, opts.insecure ?? []);
  }

  /** Sends a request (retrying transient failures) and returns a 2xx response, else throws. */
  async request(r: RegistryRequest): Promise<IncomingMessage> {
    const attempts = this.opts.attempts ?? 4;
    for (let i = 1; ; i++) {
      try {
        return await this.authorized(r);
      } catch (e) {
        if (i >= attempts || !isRetryable(e)) throw this.wrapNetwork(e, r.what);
        await sleep((this.opts.backoffMs ?? 200) * 2 ** (i - 1));
      }
    }
  }

  /** GET /v2/ with credentials: resolves when the registry accepts them (`docker login`). */
  async ping(): Promise<void> {
    const res = await this.request({ path: '/v2/', what: `login to ${this.endpoint.domain}` });
    res.resume();
  }

  /**
   * The error of a request we gave up on. An unreachable registry, or one still failing with
   * 429/5xx after the retries, is a System error (500, as Docker answers a pull then) carrying
   * the cause; other registry errors keep their kind.
   */
  private wrapNetwork(e: unknown, what: string): unknown {
    if (e instanceof BerthError && e.kind !== 'Unavailable') return e;
    const err = e as Error;
    return systemError(
      `${what}: registry ${this.endpoint.domain} is unavailable: ${err.message}`,
      e,
    );
  }

  private async authorized(r: RegistryRequest): Promise<IncomingMessage> {
    let auth = this.authHeader(r.scope);
    for (let round = 0; ; round++) {
      const headers: Record<string, string> = { 'User-Agent': 'berth/0.1 (docker-compatible)' };
      if (r.accept !== undefined) headers['Accept'] = r.accept;
      if (auth !== undefined) headers['Authorization'] = auth;
      const res = await send({
        method: r.method ?? 'GET',
        url: this.endpoint.baseUrl + r.path,
        headers,
        ...(r.timeoutMs !== undefined ? { timeoutMs: r.timeoutMs } : {}),
      });
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) return res;
      if (status === 401 && round === 0) {
        const c = parseChallenges(String(res.headers['www-authenticate'] ?? ''))[0];
        const next = c ? await this.answer(c, r.scope) : undefined;
        if (next !== undefined) {
          res.resume();
          this.challenge = c;
          auth = next;
          continue;
        }
      }
      throw await registryError(res, r.what);
    }
  }

  /** The Authorization header we already know works for `scope`, if any. */
  private authHeader(scope: string | undefined): string | undefined {
    const c = this.challenge;
    if (c?.scheme === 'basic') return this.basic();
    if (c?.scheme === 'bearer') {
      const t = this.tokens.get(scope ?? '');
      if (t && t.expires > Date.now()) return `Bearer ${t.token}`;
    }
    return undefined;
  }

  private basic(): string | undefined {
    const a = this.opts.auth;
    if (a?.username === undefined) return undefined;
    return `Basic ${Buffer.from(`${a.username}:${a.password ?? ''}`).toString('base64')}`;
  }

  /** Answers a challenge: a header to retry with, or undefined when we have nothing to offer. */
  private async answer(c: Challenge, scope: string | undefined): Promise<string | undefined> {
    if (c.scheme === 'basic') return this.basic();
    if (c.scheme !== 'bearer') return undefined;
    if (this.opts.auth?.registrytoken !== undefined)
      return `Bearer ${this.opts.auth.registrytoken}`;
    const token = await this.fetchToken(c, scope ?? c.params['scope']);
    return `Bearer ${token}`;
  }

  /** GETs a token from the challenge's realm (the Docker token protocol). */
  private async fetchToken(c: Challenge, scope: string | undefined): Promise<string> {
    const domain = this.endpoint.domain;
    const url = tokenUrl(domain, c, scope === undefined ? [] : [scope]);
    const headers: Record<string, string> = { 'User-Agent': 'berth/0.1 (docker-compatible)' };
    const basic = this.basic();
    if (basic !== undefined) headers['Authorization'] = basic;
    const res = await send({ method: 'GET', url: url.href, headers });
    const { token, expiresIn } = await readTokenAnswer(domain, res);
    this.tokens.set(scope ?? '', {
      token,
      expires: Date.now() + Math.max(expiresIn - 5, 1) * 1000,
    });
    return token;
  }
}
