import { createSocket } from 'node:dgram';
import { connect, isIP } from 'node:net';

/** An upstream resolver's address. */
export interface Upstream {
  host: string;
  port: number;
}

/**
 * Parses an upstream as `--dns-upstream` takes it: `IP`, `IPv4:port` or `[IPv6]:port` (port 53
 * when absent). Throws a plain Error with a user-facing message for anything else.
 */
export function parseUpstream(text: string): Upstream {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const v4port = /^([\d.]+):(\d+)$/.exec(text);
  const [host, port] = bracketed
    ? [bracketed[1]!, bracketed[2]]
    : v4port
      ? [v4port[1]!, v4port[2]]
      : [text, undefined];
  const n = port === undefined ? 53 : Number(port);
  if (isIP(host) === 0 || !Number.isInteger(n) || n < 1 || n > 65535) {
    throw new Error(`invalid DNS upstream "${text}": want IP, IP:port or [IPv6]:port`);
  }
  return { host, port: n };
}

/** True when `reply` is a response to `query`: QR set and the same id. */
function answers(query: Buffer, reply: Buffer): boolean {
  return (
    reply.length >= 12 &&
    (reply[2]! & 0x80) !== 0 &&
    reply.readUInt16BE(0) === query.readUInt16BE(0)
  );
}

/**
 * One UDP exchange from a fresh socket (a new random source port per query, so answers are hard
 * to spoof). Resolves undefined on timeout or an ICMP error (nothing listening).
 */
function overUdp(up: Upstream, query: Buffer, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = createSocket(isIP(up.host) === 6 ? 'udp6' : 'udp4');
    const finish = (v: Buffer | undefined): void => {
      clearTimeout(timer);
      sock.removeAllListeners();
      sock.on('error', () => undefined);
      try {
        sock.close();
      } catch {
        // already closed
      }
      resolve(v);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    sock.on('error', () => finish(undefined));
    sock.on('message', (msg) => {
      if (answers(query, msg)) finish(msg);
    });
    sock.connect(up.port, up.host, () => sock.send(query));
  });
}

/** One TCP exchange (two-octet length prefix, RFC 1035 §4.2.2); undefined on any failure. */
function overTcp(up: Upstream, query: Buffer, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = connect({ host: up.host, port: up.port });
    let buf = Buffer.alloc(0);
    const finish = (v: Buffer | undefined): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    sock.on('error', () => finish(undefined));
    sock.on('close', () => finish(undefined));
    sock.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(query.length);
      sock.write(Buffer.concat([len, query]));
    });
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 2) return;
      const size = buf.readUInt16BE(0);
      if (buf.length < 2 + size) return;
      const msg = buf.subarray(2, 2 + size);
      finish(answers(query, msg) ? Buffer.from(msg) : undefined);
    });
  });
}

/**
 * Sends a query to each upstream in turn until one answers: over UDP, then over TCP to the same
 * upstream when the answer came truncated and the client itself asked over TCP (a UDP client
 * gets the truncated answer and retries over TCP itself). Undefined when none answered.
 */
export async function forward(
  query: Buffer,
  upstreams: readonly Upstream[],
  clientTransport: 'udp' | 'tcp',
  timeoutMs: number,
): Promise<Buffer | undefined> {
  for (const up of upstreams) {
    const reply = await overUdp(up, query, timeoutMs);
    if (!reply) continue;
    const truncated = (reply[2]! & 0x02) !== 0;
    if (!truncated || clientTransport === 'udp') return reply;
    const full = await overTcp(up, query, timeoutMs);
    if (full) return full;
  }
  return undefined;
}
