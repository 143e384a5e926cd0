import { createConnection, type Socket } from 'node:net';

/** A raw hijacked attach connection, as a test drives it. */
export interface RawAttach {
  sock: Socket;
  /** The HTTP status line and headers the daemon answered. */
  head: string;
  /** Every byte received after the headers so far. */
  body(): Buffer;
  /** Resolves once the body (or its demultiplexed text) matches, or rejects after `ms`. */
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  /** Resolves when the daemon closed its side (end or close). */
  ended: Promise<void>;
}

/**
 * POSTs `path` on `socket` with `Upgrade: tcp` and resolves once the headers arrived. A non-101
 * answer resolves too (`head` tells), so tests can check errors.
 */
export function rawAttach(socket: string, path: string): Promise<RawAttach> {
  const sock = createConnection(socket);
  sock.write(
    `POST ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n`,
  );
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    let head: string | undefined;
    let body = Buffer.alloc(0);
    const waiters = new Set<() => void>();
    const ended = new Promise<void>((r) => {
      sock.once('end', r);
      sock.once('close', r);
    });
    sock.on('error', () => undefined);
    sock.on('data', (b: Buffer) => {
      if (head !== undefined) {
        body = Buffer.concat([body, b]);
        for (const w of waiters) w();
        return;
      }
      buf = Buffer.concat([buf, b]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      head = buf.subarray(0, end).toString();
      body = buf.subarray(end + 4);
      resolve({
        sock,
        head,
        body: () => body,
        ended,
        waitFor: (pattern, ms = 10_000) =>
          new Promise<void>((ok, fail) => {
            const check = (): void => {
              if (!pattern.test(demux(body)) && !pattern.test(body.toString())) return;
              waiters.delete(check);
              clearTimeout(timer);
              ok();
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(
                new Error(`timed out waiting for ${pattern}; got ${JSON.stringify(demux(body))}`),
              );
            }, ms);
            waiters.add(check);
            check();
          }),
      });
    });
    sock.once('error', reject);
  });
}

/** The text of a stdcopy-framed body (payloads concatenated), or '' when it is not framed. */
export function demux(body: Buffer): string {
  return frames(body)
    .map((f) => f.data)
    .join('');
}

/** The stdcopy frames of a body: stream 1 = stdout, 2 = stderr. Stops at a partial frame. */
export function frames(body: Buffer): { stream: number; data: string }[] {
  const out: { stream: number; data: string }[] = [];
  let off = 0;
  while (off + 8 <= body.length) {
    const stream = body[off] ?? 0;
    if (stream > 2 || body[off + 1] !== 0) return [];
    const size = body.readUInt32BE(off + 4);
    if (off + 8 + size > body.length) break;
    out.push({ stream, data: body.subarray(off + 8, off + 8 + size).toString() });
    off += 8 + size;
  }
  return out;
}
