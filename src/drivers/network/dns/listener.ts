import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import { forward, parseUpstream, type Upstream } from './forwarder.js';
import { decide, servFail, type DnsLookup, type DnsReverseLookup } from './responder.js';

/** What one network's listener answers from and forwards to. */
export interface ListenerOptions {
  address: string;
  port: number;
  lookup: DnsLookup;
  reverse: DnsReverseLookup | undefined;
  /** A client's own upstreams (a container's --dns), else undefined for `upstreams`. */
  upstreamsFor: ((clientIp: string) => string[] | undefined) | undefined;
  upstreams: readonly Upstream[];
  timeoutMs: number;
}

/** Queries being forwarded at once, per listener; more are dropped (the client retries). */
const MAX_IN_FLIGHT = 256;
/** TCP connections at once, per listener, and how long an idle one is kept. */
const MAX_TCP_CONNECTIONS = 64;
const TCP_IDLE_MS = 10_000;

/**
 * The UDP and TCP sockets of one network's embedded DNS server. Every query is handled by
 * `decide`; forwarded ones go to the upstreams, and a query none of them answers gets SERVFAIL
 * (at once when there are no upstreams). Nothing a client sends can throw out of here.
 */
export class DnsListener {
  private readonly udp: UdpSocket;
  private readonly tcp: Server;
  private readonly conns = new Set<Socket>();
  private inFlight = 0;

  private constructor(private readonly opts: ListenerOptions) {
    this.udp = createSocket({ type: isIPv6(opts.address) ? 'udp6' : 'udp4' });
    this.tcp = createServer({ pauseOnConnect: false }, (c) => this.onConnection(c));
    this.tcp.maxConnections = MAX_TCP_CONNECTIONS;
  }

  /** Binds both sockets on address:port; rejects (and releases what was bound) on failure. */
  static async open(opts: ListenerOptions): Promise<DnsListener> {
    const l = new DnsListener(opts);
    try {
      await new Promise<void>((resolve, reject) => {
        l.udp.once('error', reject);
        l.udp.bind({ address: opts.address, port: opts.port, exclusive: true }, () => {
          l.udp.off('error', reject);
          resolve();
        });
      });
      l.udp.on('error', () => undefined); // send errors to a vanished client are not ours
      l.udp.on('message', (msg, rinfo) => {
        void l
          .handle(msg, 'udp', rinfo.address)
          .then((out) => out && l.udp.send(out, rinfo.port, rinfo.address, () => undefined))
          .catch(() => undefined); // the socket closed while the answer was on its way
      });
      await new Promise<void>((resolve, reject) => {
        l.tcp.once('error', reject);
        l.tcp.listen({ host: opts.address, port: opts.port, exclusive: true }, () => {
          l.tcp.off('error', reject);
          resolve();
        });
      });
      l.tcp.on('error', () => undefined);
    } catch (e) {
      await l.close();
      throw e;
    }
    return l;
  }

  /** The reply to one query, or undefined to send nothing. */
  private async handle(
    packet: Buffer,
    transport: 'udp' | 'tcp',
    clientIp: string,
  ): Promise<Buffer | undefined> {
    const d = decide(packet, transport, this.opts.lookup, this.opts.reverse);
    if (d.kind === 'answer') return d.packet;
    if (d.kind === 'drop') return undefined;
    const upstreams = this.upstreamsOf(clientIp);
    if (upstreams.length === 0) return servFail(packet);
    if (this.inFlight >= MAX_IN_FLIGHT) return undefined;
    this.inFlight++;
    try {
      const reply = await forward(packet, upstreams, transport, this.opts.timeoutMs);
      return reply ?? servFail(packet);
    } finally {
      this.inFlight--;
    }
  }

  /** The client's own upstreams when it has valid ones, else the server's. */
  private upstreamsOf(clientIp: string): readonly Upstream[] {
    const own = this.opts.upstreamsFor?.(clientIp.replace(/^::ffff:/, ''));
    if (!own || own.length === 0) return this.opts.upstreams;
    try {
      return own.map(parseUpstream);
    } catch {
      return this.opts.upstreams;
    }
  }

  /** Length-prefixed messages (RFC 1035 §4.2.2); a stream that is not DNS is closed. */
  private onConnection(c: Socket): void {
    this.conns.add(c);
    c.setTimeout(TCP_IDLE_MS, () => c.destroy());
    c.on('error', () => undefined);
    c.on('close', () => this.conns.delete(c));
    let buf = Buffer.alloc(0);
    c.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2) {
        const size = buf.readUInt16BE(0);
        if (size < 12) return void c.destroy();
        if (buf.length < 2 + size) return;
        const msg = Buffer.from(buf.subarray(2, 2 + size));
        buf = buf.subarray(2 + size);
        void this.handle(msg, 'tcp', c.remoteAddress ?? '').then(
          (out) => {
            if (!out || c.destroyed) return;
            const len = Buffer.alloc(2);
            len.writeUInt16BE(out.length);
            c.write(Buffer.concat([len, out]));
          },
          () => c.destroy(),
        );
      }
    });
  }

  /** Closes both sockets and every open TCP connection. Idempotent. */
  async close(): Promise<void> {
    for (const c of this.conns) c.destroy();
    await Promise.all([
      new Promise<void>((resolve) => {
        try {
          this.udp.close(() => resolve());
        } catch {
          resolve(); // never bound, or already closed
        }
      }),
      new Promise<void>((resolve) => {
        if (!this.tcp.listening) return resolve();
        this.tcp.close(() => resolve());
      }),
    ]);
  }
}
