import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { decodeMessage } from './decode.js';
import { encodeMessage } from './encode.js';
import { CLASS_IN, Rcode, RecordType, type DnsMessage } from './message.js';

/** A test's own resolver on 127.0.0.1 (UDP and TCP on one random port). Tests only. */
export interface FakeUpstream {
  port: number;
  /** Names asked so far, in order, with the transport they came over. */
  asked: string[];
  close(): Promise<void>;
}

/**
 * Answers A queries for `<anything>.upstream.test` with 198.51.100.<n> (other types: no records) (documentation addresses: nothing is
 * ever sent to them), `big.upstream.test` with 60 addresses (TC over UDP, whole over TCP), and
 * everything else NXDOMAIN.
 */
export async function startFakeUpstream(): Promise<FakeUpstream> {
  const asked: string[] = [];
  const reply = (packet: Buffer, transport: 'udp' | 'tcp'): Buffer => {
    const q = decodeMessage(packet);
    const name = q.questions[0]?.name ?? '';
    asked.push(`${transport}:${name}`);
    const known = name.toLowerCase().endsWith('.upstream.test');
    const count = q.questions[0]?.type !== RecordType.A ? 0 : name === 'big.upstream.test' ? 60 : 1;
    const m: DnsMessage = {
      ...q,
      flags: { ...q.flags, qr: true, ra: true, rcode: known ? Rcode.NOERROR : Rcode.NXDOMAIN },
      answers: known
        ? Array.from({ length: count }, (_, i) => ({
            name,
            type: RecordType.A,
            class: CLASS_IN,
            ttl: 30,
            data: `198.51.100.${i + 1}`,
          }))
        : [],
      additionals: [],
    };
    return encodeMessage(m, transport === 'udp' ? { maxSize: 512 } : {});
  };
  const udp = createSocket('udp4');
  udp.on('message', (msg, r) => udp.send(reply(msg, 'udp'), r.port, r.address));
  await new Promise<void>((res) => udp.bind(0, '127.0.0.1', res));
  const port = udp.address().port;
  const tcp = createServer((c) => {
    c.on('error', () => undefined);
    c.once('data', (d: Buffer) => {
      const out = reply(d.subarray(2, 2 + d.readUInt16BE(0)), 'tcp');
      const len = Buffer.alloc(2);
      len.writeUInt16BE(out.length);
      c.end(Buffer.concat([len, out]));
    });
  });
  await new Promise<void>((res) => tcp.listen(port, '127.0.0.1', res));
  return {
    port,
    asked,
    close: () =>
      Promise.all([
        new Promise<void>((res) => udp.close(() => res())),
        new Promise<void>((res) => tcp.close(() => res())),
      ]).then(() => undefined),
  };
}
