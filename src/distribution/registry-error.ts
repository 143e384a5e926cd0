import type { IncomingMessage } from 'node:http';
import { BerthError, type ErrorKind } from '../errors/index.js';
import { readBody } from './http-request.js';

/** The first error of a registry's `{"errors":[{code,message,detail}]}` body, if any. */
export function registryMessage(body: Buffer): { code?: string; message?: string } {
  try {
    const v = JSON.parse(body.toString('utf8')) as {
      errors?: { code?: unknown; message?: unknown }[];
    };
    const e = v.errors?.[0];
    if (!e) return {};
    return {
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
      ...(typeof e.message === 'string' ? { message: e.message } : {}),
    };
  } catch {
    return {};
  }
}

/** The error kind of a registry status: 401/403/404 keep their meaning; 429 and 5xx are Unavailable. */
export function kindOfStatus(status: number): ErrorKind {
  if (status === 401) return 'Unauthorized';
  if (status === 403) return 'Forbidden';
  if (status === 404) return 'NotFound';
  if (status === 429 || status >= 500) return 'Unavailable';
  return 'System';
}

/** A failed registry response as a BerthError carrying the registry's own message and code. */
export class RegistryError extends BerthError {
  constructor(
    kind: ErrorKind,
    message: string,
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(kind, message);
  }
}

/** Reads an error response's body and builds the RegistryError for it. `what` names the request. */
export async function registryError(res: IncomingMessage, what: string): Promise<RegistryError> {
  const status = res.statusCode ?? 0;
  const body = await readBody(res, 64 * 1024).catch(() => Buffer.alloc(0));
  const { code, message } = registryMessage(body);
  const detail =
    code !== undefined && message !== undefined
      ? `${code.toLowerCase()}: ${message}`
      : (message ?? (code !== undefined ? code.toLowerCase() : `HTTP ${status}`));
  return new RegistryError(kindOfStatus(status), `${what}: ${detail}`, status, code);
}
