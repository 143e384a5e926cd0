import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { RequestValidationError } from '../api/index.js';
import { BerthError, type ErrorKind } from '../errors/index.js';

/** The one place an error kind becomes an HTTP status. */
const statusOf: Record<ErrorKind, number> = {
  NotFound: 404,
  InvalidParameter: 400,
  Conflict: 409,
  NotModified: 304,
  Unauthorized: 401,
  Forbidden: 403,
  Unavailable: 503,
  NotImplemented: 501,
  System: 500,
};

/** Status and Docker-style message for any thrown value; unclassified errors are 500s. */
export function classify(err: unknown): { status: number; message: string } {
  if (err instanceof BerthError) return { status: statusOf[err.kind], message: err.message };
  if (err instanceof RequestValidationError) return { status: 400, message: err.message };
  return { status: 500, message: err instanceof Error ? err.message : String(err) };
}

/** Sends `{"message": ...}` with the mapped status, unless a response is already under way. */
export function sendError(res: ServerResponse, err: unknown, log: (m: string) => void): void {
  const { status, message } = classify(err);
  if (status === 500)
    log(`internal error: ${err instanceof Error ? (err.stack ?? message) : message}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (status === 304) {
    res.writeHead(304).end();
    return;
  }
  const body = JSON.stringify({ message });
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** The same for a connection that asked to be upgraded: a plain HTTP answer written raw. */
export function sendErrorRaw(socket: Socket, err: unknown, log: (m: string) => void): void {
  const { status, message } = classify(err);
  if (status === 500) log(`internal error: ${message}`);
  const body = status === 304 ? '' : JSON.stringify({ message });
  socket.end(
    `HTTP/1.1 ${status} ${status === 304 ? 'Not Modified' : 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
