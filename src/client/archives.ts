import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { describeEndpoint, requestTo, type Endpoint } from './endpoint.js';
import { DaemonUnreachableError, isConnectError } from './errors.js';
import { throwIfError } from './transport.js';

/** The query string of repeated parameters (`names=a&names=b`, `changes=…`) plus single ones. */
export function multiQuery(
  single: Record<string, string | undefined>,
  multi: Record<string, string[]> = {},
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(single)) if (v !== undefined) q.set(k, v);
  for (const [k, vs] of Object.entries(multi)) for (const v of vs) q.append(k, v);
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

/**
 * Sends a request whose body is a byte stream (a tar for load/import) on its own connection and
 * resolves with the response once its headers arrive; non-2xx answers reject with ApiError. The
 * upload stops if the daemon answers early (an error before the whole body was read).
 */
export function sendStream(
  endpoint: Endpoint,
  method: 'POST' | 'PUT',
  path: string,
  body: Readable,
  contentType = 'application/x-tar',
): Promise<IncomingMessage> {
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = requestTo(
      endpoint,
      {
        method,
        path,
        headers: { 'Content-Type': contentType, 'Transfer-Encoding': 'chunked' },
      },
      (res) => {
        body.unpipe(req);
        throwIfError(res).then(() => resolve(res), reject);
      },
    );
    req.on('error', (err) =>
      reject(
        isConnectError(err) ? new DaemonUnreachableError(describeEndpoint(endpoint), err) : err,
      ),
    );
    body.on('error', (e) => req.destroy(e));
    body.pipe(req);
  });
}
