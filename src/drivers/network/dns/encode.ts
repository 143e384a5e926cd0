import { ipv4Bytes, ipv6Bytes } from './ip-bytes.js';
import { packFlags, RecordType, type DnsMessage, type DnsRecord } from './message.js';

/**
 * Writes names with compression (RFC 1035 §4.1.4): each suffix already written is remembered
 * case-insensitively by its offset, and a later name ending in it points back instead.
 */
class Writer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private readonly suffixes = new Map<string, number>();

  get length(): number {
    return this.size;
  }

  bytes(b: Buffer): void {
    this.chunks.push(b);
    this.size += b.length;
  }

  u16(v: number): void {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(v);
    this.bytes(b);
  }

  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v >>> 0);
    this.bytes(b);
  }

  name(name: string): void {
    const labels = name === '' ? [] : name.replace(/\.$/, '').split('.');
    for (let i = 0; i < labels.length; i++) {
      const key = labels.slice(i).join('.').toLowerCase();
      const at = this.suffixes.get(key);
      if (at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      // Only offsets a 14-bit pointer can reach are worth remembering.
      if (this.size < 0x4000) this.suffixes.set(key, this.size);
      const label = Buffer.from(labels[i]!, 'latin1');
      if (label.length === 0 || label.length > 63) throw new Error(`bad label in name "${name}"`);
      this.bytes(Buffer.from([label.length]));
      this.bytes(label);
    }
    this.bytes(Buffer.from([0]));
  }

  record(r: DnsRecord): void {
    this.name(r.name);
    this.u16(r.type);
    this.u16(r.class);
    this.u32(r.ttl);
    if (typeof r.data !== 'string') {
      this.u16(r.data.length);
      this.bytes(r.data);
    } else if (r.type === RecordType.A) {
      this.u16(4);
      this.bytes(ipv4Bytes(r.data));
    } else if (r.type === RecordType.AAAA) {
      this.u16(16);
      this.bytes(ipv6Bytes(r.data));
    } else {
      // A name (PTR, CNAME, NS): compressed too, so its length is known only once written.
      const lenAt = this.chunks.length;
      this.u16(0);
      const start = this.size;
      this.name(r.data);
      this.chunks[lenAt]!.writeUInt16BE(this.size - start);
    }
  }

  done(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

function encodeAll(msg: DnsMessage, sections: [DnsRecord[], DnsRecord[], DnsRecord[]]): Buffer {
  const w = new Writer();
  w.u16(msg.id);
  w.u16(packFlags(msg.flags));
  w.u16(msg.questions.length);
  for (const s of sections) w.u16(s.length);
  for (const q of msg.questions) {
    w.name(q.name);
    w.u16(q.type);
    w.u16(q.class);
  }
  for (const s of sections) for (const r of s) w.record(r);
  return w.done();
}

/**
 * Encodes a message. With `maxSize` (a UDP answer's limit) a message that does not fit is sent
 * as Docker and BIND do: the header and question only, with the TC flag set, so the client
 * retries over TCP.
 */
export function encodeMessage(msg: DnsMessage, opts: { maxSize?: number } = {}): Buffer {
  const full = encodeAll(msg, [msg.answers, msg.authorities, msg.additionals]);
  if (opts.maxSize === undefined || full.length <= opts.maxSize) return full;
  return encodeAll({ ...msg, flags: { ...msg.flags, tc: true } }, [[], [], []]);
}
