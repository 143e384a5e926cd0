import { isIPv4, isIPv6 } from 'node:net';
import { decodeMessage, HEADER_SIZE } from './decode.js';
import { encodeMessage } from './encode.js';
import { addressOfReverseName } from './ip-bytes.js';
import {
  CLASS_IN,
  CLASSIC_UDP_SIZE,
  Rcode,
  RecordType,
  type DnsMessage,
  type DnsRecord,
} from './message.js';

/**
 * IPv4s of a container name, network alias or short id on one network; [] when unknown. The
 * server passes the queried name lower-cased and without its trailing dot.
 */
export type DnsLookup = (name: string) => string[];

/** The name (container name, without a dot at the end) owning an IP on one network, if any. */
export type DnsReverseLookup = (ip: string) => string | undefined;

/** What to do with one query. */
export type DnsDecision =
  { kind: 'answer'; packet: Buffer } | { kind: 'forward' } | { kind: 'drop'; reason: string };

/** Docker's embedded server answers with a 600 s TTL; names change only as containers do. */
const TTL = 600;
const MAX_EDNS_UDP = 4096;

function reply(query: DnsMessage, rcode: number, answers: DnsRecord[] = []): DnsMessage {
  return {
    id: query.id,
    flags: {
      qr: true,
      opcode: query.flags.opcode,
      aa: true,
      tc: false,
      rd: query.flags.rd,
      ra: true,
      rcode,
    },
    questions: query.questions,
    answers,
    authorities: [],
    additionals: [],
  };
}

/** The UDP size the client accepts: its EDNS OPT's payload size, else 512 (RFC 6891 §6.2.5). */
function udpLimit(query: DnsMessage): number {
  const opt = query.additionals.find((r) => r.type === RecordType.OPT);
  if (!opt) return CLASSIC_UDP_SIZE;
  return Math.min(Math.max(opt.class, CLASSIC_UDP_SIZE), MAX_EDNS_UDP);
}

/** A FORMERR for a packet whose question could not be read: the header alone, id echoed. */
function formErr(packet: Buffer): Buffer {
  const out = Buffer.alloc(HEADER_SIZE);
  out.writeUInt16BE(packet.readUInt16BE(0), 0);
  out.writeUInt16BE(0x8000 | (packet.readUInt16BE(2) & 0x7800) | Rcode.FORMERR, 2);
  return out;
}

/**
 * Decides how the embedded server handles one packet: answer it from the network's names, hand
 * it to the upstream resolvers, or drop it. Never throws: a malformed query gets FORMERR when it
 * at least has a header that is not a response's, and is dropped otherwise.
 */
export function decide(
  packet: Buffer,
  transport: 'udp' | 'tcp',
  lookup: DnsLookup,
  reverse?: DnsReverseLookup,
): DnsDecision {
  if (packet.length < HEADER_SIZE) return { kind: 'drop', reason: 'short packet' };
  if ((packet[2]! & 0x80) !== 0) return { kind: 'drop', reason: 'a response, not a query' };
  let query: DnsMessage;
  try {
    query = decodeMessage(packet);
  } catch {
    return { kind: 'answer', packet: formErr(packet) };
  }
  const answer = (m: DnsMessage): DnsDecision => ({
    kind: 'answer',
    packet: encodeMessage(m, transport === 'udp' ? { maxSize: udpLimit(query) } : {}),
  });
  if (query.flags.opcode !== 0) return answer(reply(query, Rcode.NOTIMP));
  const q = query.questions[0];
  if (query.questions.length !== 1 || !q) return answer(reply(query, Rcode.FORMERR));
  if (q.class !== CLASS_IN) return { kind: 'forward' };
  const name = q.name.toLowerCase();
  if (q.type === RecordType.PTR) {
    const ip = addressOfReverseName(name);
    const owner = ip === undefined ? undefined : reverse?.(ip);
    if (!owner) return { kind: 'forward' };
    return answer(
      reply(query, Rcode.NOERROR, [
        { name: q.name, type: RecordType.PTR, class: CLASS_IN, ttl: TTL, data: owner },
      ]),
    );
  }
  const ips = name === '' ? [] : lookup(name);
  if (ips.length === 0) return { kind: 'forward' };
  // A known name: A (and ANY) get its addresses; AAAA and every other type get NOERROR with no
  // records, so the client does not wait on an upstream that cannot know a container's name.
  const record = (type: number, data: string): DnsRecord => ({
    name: q.name,
    type,
    class: CLASS_IN,
    ttl: TTL,
    data,
  });
  const wantA = q.type === RecordType.A || q.type === RecordType.ANY;
  const wantAaaa = q.type === RecordType.AAAA || q.type === RecordType.ANY;
  const answers = [
    ...(wantA ? ips.filter((ip) => isIPv4(ip)).map((ip) => record(RecordType.A, ip)) : []),
    ...(wantAaaa ? ips.filter((ip) => isIPv6(ip)).map((ip) => record(RecordType.AAAA, ip)) : []),
  ];
  return answer(reply(query, Rcode.NOERROR, answers));
}

/** A SERVFAIL for a query no upstream answered (the question echoed when it can be read). */
export function servFail(packet: Buffer): Buffer | undefined {
  try {
    const query = decodeMessage(packet);
    return encodeMessage(reply(query, Rcode.SERVFAIL), { maxSize: udpLimit(query) });
  } catch {
    return undefined;
  }
}
