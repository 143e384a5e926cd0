import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { decodeMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import { CLASS_IN, queryFlags, type DnsMessage } from './message.js';

/** A query packet for `name`/`type` (tests only). */
export function queryPacket(name: string, type: number, id = 0x2b2b): Buffer {
  return encodeMessage({
    id,
    flags: queryFlags,
    questions: [{ name, type, class: CLASS_IN }],
    answers: [],
    authorities: [],
    additionals: [],
  });
}

/** Sends raw bytes over UDP and resolves the first datagram back, or undefined after `ms`. */
export function udpExchange(
  host: string,
  port: number,
  packet: Buffer,
  ms = 3000,
): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    const done = (v: Buffer | undefined): void => {
      clearTimeout(t);
      s.close();
      resolve(v);
    };
    const t = setTimeout(() => done(undefined), ms);
    s.on('error', () => done(undefined));
    s.on('message', (m) => done(m));
    s.send(packet, port, host);
  });
}

/** One length-prefixed exchange over TCP (tests only). */
export function tcpExchange(host: string, port: number, packet: Buffer): Promise<DnsMessage> {
  return new Promise((resolve, reject) => {
    const c = connect({ host, port });
    let buf = Buffer.alloc(0);
    c.on('error', reject);
    c.on('connect', () => {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(packet.length);
      c.write(Buffer.concat([len, packet]));
    });
    c.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        c.destroy();
        resolve(decodeMessage(buf.subarray(2, 2 + buf.readUInt16BE(0))));
      }
    });
  });
}
