import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { invalidParameter } from '../../errors/index.js';

/** Exec start and attach bodies are a few bytes of JSON. */
const MAX_BODY = 64 * 1024;
/** A client that announces a body and never sends it must not hold the socket forever. */
const BODY_TIMEOUT_MS = 30_000;

/**
 * Reads the body of a request that asked to be upgraded. Node hands such a request over before
 * its body is parsed: the body is the first `Content-Length` bytes of `head` and the socket.
 * Resolves with the parsed JSON (undefined when empty) and any bytes that followed it, which
 * belong to the hijacked stream (stdin). The socket is left paused.
 */
export async function readUpgradeBody(
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
): Promise<{ body: unknown; rest: Buffer }> {
  const { raw, rest } = await splitUpgradeBody(req, socket, head);
  const text = raw.toString('utf8').trim();
  let body: unknown;
  try {
    body = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch (e) {
    throw invalidParameter(`invalid JSON in request body: ${(e as Error).message}`);
  }
  return { body, rest };
}

/**
 * Drops the body of an upgraded request, whatever it holds, and returns the bytes after it (the
 * start of the hijacked stream). Attach takes its options from the query; clients such as
 * dockerode send them as a JSON body as well, which Docker ignores and which must not reach the
 * container's stdin.
 */
export async function skipUpgradeBody(
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
): Promise<Buffer> {
  return (await splitUpgradeBody(req, socket, head)).rest;
}

/** The announced body (`Content-Length` bytes of `head` and then the socket) and what follows. */
async function splitUpgradeBody(
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
): Promise<{ raw: Buffer; rest: Buffer }> {
  if (req.headers['transfer-encoding'] !== undefined) {
    throw invalidParameter('a chunked body is not supported on an upgraded request');
  }
  const lenText = req.headers['content-length'] ?? '0';
  const len = Number(lenText);
  if (!/^\d+$/.test(lenText) || len > MAX_BODY) {
    throw invalidParameter(`invalid Content-Length: ${lenText}`);
  }
  let buf = head;
  if (buf.length < len) buf = await readMore(socket, buf, len);
  socket.pause();
  return { raw: buf.subarray(0, len), rest: buf.subarray(len) };
}

function readMore(socket: Socket, start: Buffer, len: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf = start;
    const done = (err?: Error): void => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.pause();
      if (err) reject(err);
      else resolve(buf);
    };
    const onData = (d: Buffer): void => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= len) done();
    };
    const onEnd = (): void => done(invalidParameter('the request body ended early'));
    const timer = setTimeout(
      () => done(invalidParameter('timed out reading the request body')),
      BODY_TIMEOUT_MS,
    );
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('close', onEnd);
  });
}
