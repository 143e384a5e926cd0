import type { Socket } from 'node:net';
import type { RequestContext } from '../context.js';
import { frameStdcopy } from '../../lib/stdcopy.js';
import { drainOrClose } from '../../lib/drain.js';

/** A byte sink for stream output, over a hijacked socket or a plain response. */
export interface StreamSink {
  write(data: Buffer): boolean;
  end(): void;
  /** The client's input (a hijacked socket's readable side), when there is one. */
  input?: Socket;
  onClose(fn: () => void): void;
  /** Resolves once buffered output has gone out (or the client left): paces large writes. */
  drained?(): Promise<void>;
}

/** Waits for 'drain' on a stream whose buffer is full; resolves at once otherwise. */
function drainedOf(w: NodeJS.WritableStream & { writableNeedDrain: boolean }): Promise<void> {
  return w.writableNeedDrain ? drainOrClose(w) : Promise.resolve();
}

/**
 * Takes over the connection for a raw stream, as Docker does for attach: `101 UPGRADED` for an
 * upgrade request, else `200` with the stream content type on the plain response.
 */
export function hijack(ctx: RequestContext, contentType: string): StreamSink {
  if (ctx.upgrade) {
    const { socket } = ctx.upgrade;
    socket.setNoDelay(true);
    // Node's HTTP server drops its own error listener from an upgraded socket: without one, a
    // client that vanishes mid-write (EPIPE) would crash the daemon.
    socket.on('error', () => socket.destroy());
    socket.write(
      `HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`,
    );
    return {
      write: (d) => socket.write(d),
      end: () => socket.end(),
      input: socket,
      onClose: (fn) => socket.once('close', fn),
      drained: () => drainedOf(socket),
    };
  }
  const res = ctx.res;
  if (!res) throw new Error('hijack: no response');
  res.writeHead(200, { 'Content-Type': contentType });
  res.flushHeaders();
  return {
    write: (d) => res.write(d),
    end: () => res.end(),
    onClose: (fn) => res.once('close', fn),
    drained: () => drainedOf(res),
  };
}

/** Docker's content types for container output. */
export const multiplexedStream = 'application/vnd.docker.multiplexed-stream';
export const rawStream = 'application/vnd.docker.raw-stream';

/** Encodes one chunk of output for the wire: stdcopy frames unless the container has a TTY. */
export function encodeOutput(tty: boolean, stream: 'stdout' | 'stderr', data: Buffer): Buffer {
  return tty ? data : frameStdcopy(stream === 'stdout' ? 1 : 2, data);
}
