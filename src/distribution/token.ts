import type { IncomingMessage } from 'node:http';
import { invalidParameter, unauthorized } from '../errors/index.js';
import type { Challenge } from './challenge.js';
import { readBody } from './http-request.js';
import { registryError } from './registry-error.js';

/**
 * The Docker token protocol's request URL for a Bearer challenge of `domain`'s registry: the
 * challenge's realm (http or https only) with its service and the wanted scopes.
 */
export function tokenUrl(domain: string, c: Challenge, scopes: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(c.params['realm'] ?? '');
  } catch {
    throw invalidParameter(`registry ${domain} sent an invalid token realm`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidParameter(`registry ${domain}: unsupported token realm ${url.protocol}`);
  }
  if (c.params['service'] !== undefined) url.searchParams.set('service', c.params['service']);
  for (const s of scopes) url.searchParams.append('scope', s);
  return url;
}

/** Reads a token server's answer: the token and its lifetime in seconds (60 when unstated). */
export async function readTokenAnswer(
  domain: string,
  res: IncomingMessage,
): Promise<{ token: string; expiresIn: number }> {
  const status = res.statusCode ?? 0;
  if (status === 401 || status === 403) {
    res.resume();
    throw unauthorized(
      `authentication required: the token server of ${domain} refused the credentials`,
    );
  }
  if (status !== 200) throw await registryError(res, `token for ${domain}`);
  let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
  try {
    body = JSON.parse((await readBody(res, 1024 * 1024)).toString('utf8')) as typeof body;
  } catch {
    throw invalidParameter(`token server of ${domain} sent an invalid answer`);
  }
  const token = typeof body.token === 'string' ? body.token : body.access_token;
  if (typeof token !== 'string' || token === '') {
    throw invalidParameter(`token server of ${domain} sent no token`);
  }
  const expiresIn =
    typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
  return { token, expiresIn };
}
