import { ipv6Text } from './ip-bytes.js';
import {
  DnsFormatError,
  RecordType,
  unpackFlags,
  type DnsMessage,
  type DnsQuestion,
  type DnsRecord,
} from './message.js';

/** The fixed header's size. */
export const HEADER_SIZE = 12;
const MIN_QUESTION = 5; // root name + type + class
const MIN_RECORD = 11; // root name + type + class + ttl + rdlength
const MAX_NAME = 255;

/**
 * Reads a possibly compressed name at `offset`. Returns the name and the offset just after it in
 * the original position. A compression pointer must point strictly before the label it replaces,
 * so looping pointers cannot exist; the total length is capped at 255 octets (RFC 1035 §2.3.4).
 */
function readName(buf: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let next = -1;
  let length = 1;
  let limit = offset; // a pointer must target an offset before this
  for (;;) {
    if (pos >= buf.length) throw new DnsFormatError('name runs past the end of the message');
    const len = buf[pos]!;
    if (len === 0) {
      if (next === -1) next = pos + 1;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= buf.length) throw new DnsFormatError('truncated compression pointer');
      const target = ((len & 0x3f) << 8) | buf[pos + 1]!;
      if (target >= limit) throw new DnsFormatError('compression pointer does not point back');
      if (next === -1) next = pos + 2;
      limit = target;
      pos = target;
      continue;
    }
    if (kind !== 0) throw new DnsFormatError('unsupported label type');
    if (pos + 1 + len > buf.length) throw new DnsFormatError('label runs past the end');
    length += len + 1;
    if (length > MAX_NAME) throw new DnsFormatError('name longer than 255 octets');
    labels.push(buf.toString('latin1', pos + 1, pos + 1 + len));
    pos += 1 + len;
  }
  return { name: labels.join('.'), next };
}

function readRecord(buf: Buffer, offset: number): { record: DnsRecord; next: number } {
  const { name, next: at } = readName(buf, offset);
  if (at + 10 > buf.length) throw new DnsFormatError('record header runs past the end');
  const type = buf.readUInt16BE(at);
  const cls = buf.readUInt16BE(at + 2);
  const ttl = buf.readUInt32BE(at + 4);
  const rdlength = buf.readUInt16BE(at + 8);
  const start = at + 10;
  const end = start + rdlength;
  if (end > buf.length) throw new DnsFormatError('record data runs past the end');
  let data: string | Buffer;
  switch (type) {
    case RecordType.A:
      if (rdlength !== 4) throw new DnsFormatError('A record of the wrong length');
      data = [...buf.subarray(start, end)].join('.');
      break;
    case RecordType.AAAA:
      if (rdlength !== 16) throw new DnsFormatError('AAAA record of the wrong length');
      data = ipv6Text(buf.subarray(start, end));
      break;
    case RecordType.PTR:
    case RecordType.CNAME:
    case RecordType.NS: {
      const target = readName(buf, start);
      if (target.next !== end) throw new DnsFormatError('name record of the wrong length');
      data = target.name;
      break;
    }
    default:
      data = Buffer.from(buf.subarray(start, end));
  }
  return { record: { name, type, class: cls, ttl, data }, next: end };
}

/**
 * Parses a whole DNS message. Throws DnsFormatError for anything malformed: too short, names or
 * records running past the end, forward or looping compression pointers, or section counts that
 * the packet's size cannot possibly hold (checked before any allocation).
 */
export function decodeMessage(buf: Buffer): DnsMessage {
  if (buf.length < HEADER_SIZE) throw new DnsFormatError('message shorter than its header');
  const counts = [2, 3, 4, 5].map((i) => buf.readUInt16BE(i * 2));
  const [qd, an, ns, ar] = counts as [number, number, number, number];
  if (qd * MIN_QUESTION + (an + ns + ar) * MIN_RECORD > buf.length - HEADER_SIZE) {
    throw new DnsFormatError('section counts exceed the message size');
  }
  let pos = HEADER_SIZE;
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < qd; i++) {
    const { name, next } = readName(buf, pos);
    if (next + 4 > buf.length) throw new DnsFormatError('question runs past the end');
    questions.push({ name, type: buf.readUInt16BE(next), class: buf.readUInt16BE(next + 2) });
    pos = next + 4;
  }
  const section = (count: number): DnsRecord[] => {
    const out: DnsRecord[] = [];
    for (let i = 0; i < count; i++) {
      const { record, next } = readRecord(buf, pos);
      out.push(record);
      pos = next;
    }
    return out;
  };
  const answers = section(an);
  const authorities = section(ns);
  const additionals = section(ar);
  return {
    id: buf.readUInt16BE(0),
    flags: unpackFlags(buf.readUInt16BE(2)),
    questions,
    answers,
    authorities,
    additionals,
  };
}
