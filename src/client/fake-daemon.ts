/**
 * A throwaway HTTP server on a unix socket in a fresh temp dir, standing in for berthd in the
 * client's and CLI's tests. Test support only; not exported from the package.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { frameStdcopy, type StdcopyStream } from '../lib/stdcopy.js';

/** A running fake daemon. */
export interface FakeDaemon {
  socketPath: string;
  /** Every request seen, as `METHOD /path?query`. */
  requests: string[];
  /** Stops the server, drops open connections, removes the temp dir. */
  close(): Promise<void>;
}

/** Handles a hijack request (`Upgrade: tcp`); the handler writes the 101 itself. */
export type UpgradeHandler = (req: IncomingMessage, socket: Socket, head: Buffer) => void;

/** Starts a fake daemon answering with `handler` (and `onUpgrade` for hijacks). */
export async function startFakeDaemon(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  onUpgrade?: UpgradeHandler,
): Promise<FakeDaemon> {
  const dir = await mkdtemp('/tmp/berth-test-');
  const socketPath = join(dir, 'd.sock');
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    handler(req, res);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    if (onUpgrade) onUpgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    requests,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Writes a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Reads a request body as JSON. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

/** One stdcopy frame: stream 1 = stdout, 2 = stderr, 3 = error. */
export function frame(stream: StdcopyStream, data: string | Buffer): Buffer {
  return frameStdcopy(stream, typeof data === 'string' ? Buffer.from(data) : data);
}

/** The status line and headers a hijacking daemon sends before raw stream bytes. */
export const UPGRADED_RESPONSE =
  'HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\n' +
  'Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n';
