import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { describeEndpoint, requestTo, type Endpoint } from './endpoint.js';
import { ApiError, DaemonUnreachableError, isConnectError } from './errors.js';
import { outputChunks, type OutputChunk } from './stdcopy.js';
import { throwIfError } from './transport.js';

/**
 * A hijacked attach connection. The caller must consume `output` (or call `close()`): until it
 * does, the daemon's writes back up.
 */
export interface AttachConnection {
  /** Container output: demultiplexed frames, or raw stdout bytes for a TTY. Ends when the daemon closes. */
  readonly output: AsyncIterable<OutputChunk>;
  /** Bytes written here reach the container's stdin (when attached with `stdin`). */
  readonly stdin: Writable;
  /** Half-closes: tells the daemon stdin is done while output keeps flowing. */
  closeWrite(): void;
  /** Tears the connection down in both directions. */
  close(): void;
}

/**
 * POSTs `path` asking for `Upgrade: tcp` and resolves once the daemon answers `101`, with the raw
 * socket wrapped as an {@link AttachConnection}. Uses a dedicated connection (never the shared
 * agent): once upgraded it no longer speaks HTTP.
 */
export function hijack(
  endpoint: Endpoint,
  path: string,
  tty: boolean,
  body?: unknown,
): Promise<AttachConnection> {
  return new Promise((resolve, reject) => {
    // A JSON body (exec start) goes with its length: the daemon reads it off the upgraded socket.
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = requestTo(endpoint, {
      agent: false,
      method: 'POST',
      path,
      headers: {
        connection: 'Upgrade',
        upgrade: 'tcp',
        ...(payload === undefined
          ? { 'content-type': 'text/plain' }
          : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
      },
    });
    req.on('upgrade', (res: IncomingMessage, socket: Socket, head: Buffer) => {
      if (res.statusCode !== 101) {
        socket.destroy();
        reject(new ApiError(res.statusCode ?? 0, 'daemon answered an upgrade without 101'));
        return;
      }
      resolve(connectionOf(socket, head, tty));
    });
    req.on('response', (res: IncomingMessage) => {
      // No upgrade: either an error status (thrown with the body's message) or a daemon that
      // does not hijack, which this client does not support.
      throwIfError(res).then(() => {
        res.destroy();
        reject(new ApiError(res.statusCode ?? 0, 'daemon did not upgrade the attach connection'));
      }, reject);
    });
    req.on('error', (err) =>
      reject(
        isConnectError(err) ? new DaemonUnreachableError(describeEndpoint(endpoint), err) : err,
      ),
    );
    req.end(payload);
  });
}

function connectionOf(socket: Socket, head: Buffer, tty: boolean): AttachConnection {
  socket.setNoDelay(true);
  async function* bytes(): AsyncGenerator<Buffer> {
    // Bytes that arrived in the same read as the 101 headers come first.
    if (head.length > 0) yield head;
    for await (const chunk of socket as AsyncIterable<Buffer>) yield chunk;
  }
  return {
    output: outputChunks(bytes(), !tty),
    stdin: socket,
    closeWrite: () => {
      if (!socket.destroyed) socket.end();
    },
    close: () => socket.destroy(),
  };
}
