/**
 * The DNS message model (RFC 1035 §4) shared by the decoder and the encoder. Names are kept as
 * written in the packet minus the trailing dot (`Web.Example`); the root is ''.
 */

/** Record types the embedded server understands; any other number passes through as raw data. */
export const RecordType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  ANY: 255,
} as const;

/** The Internet class; the only one served locally. */
export const CLASS_IN = 1;

/** Response codes (RFC 1035 §4.1.1). */
export const Rcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
} as const;

/** The largest UDP answer a client without EDNS accepts (RFC 1035 §4.2.1). */
export const CLASSIC_UDP_SIZE = 512;

/** The header's flag bits, unpacked. */
export interface DnsFlags {
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  rcode: number;
}

/** One entry of the question section. */
export interface DnsQuestion {
  name: string;
  type: number;
  class: number;
}

/**
 * One resource record. `data` is the dotted IPv4 for A, the IPv6 text for AAAA, the target name
 * for PTR/CNAME/NS, and the raw RDATA bytes for every other type (including OPT).
 */
export interface DnsRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  data: string | Buffer;
}

/** A whole DNS message. */
export interface DnsMessage {
  id: number;
  flags: DnsFlags;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
}

/** A packet that is not a well-formed DNS message; the server answers FORMERR or drops it. */
export class DnsFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DnsFormatError';
  }
}

/** Flags of a plain recursive query. */
export const queryFlags: DnsFlags = {
  qr: false,
  opcode: 0,
  aa: false,
  tc: false,
  rd: true,
  ra: false,
  rcode: 0,
};

/** Packs the flag bits into the header's 16-bit field. */
export function packFlags(f: DnsFlags): number {
  return (
    (f.qr ? 0x8000 : 0) |
    ((f.opcode & 0xf) << 11) |
    (f.aa ? 0x0400 : 0) |
    (f.tc ? 0x0200 : 0) |
    (f.rd ? 0x0100 : 0) |
    (f.ra ? 0x0080 : 0) |
    (f.rcode & 0xf)
  );
}

/** Unpacks the header's 16-bit flag field. */
export function unpackFlags(v: number): DnsFlags {
  return {
    qr: (v & 0x8000) !== 0,
    opcode: (v >> 11) & 0xf,
    aa: (v & 0x0400) !== 0,
    tc: (v & 0x0200) !== 0,
    rd: (v & 0x0100) !== 0,
    ra: (v & 0x0080) !== 0,
    rcode: v & 0xf,
  };
}
