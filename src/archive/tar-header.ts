/**
 * A minimal tar (ustar + PAX) header encoder for packing many small entries without a stream
 * object per entry. Fields that do not fit ustar (long names or link names, non-ASCII names,
 * big ids or sizes) go into a PAX extended header before the entry, as Go's archive/tar and GNU
 * tar read them.
 */
export interface TarEntryHeader {
  name: string;
  /** '0' file, '1' hard link, '2' symlink, '3'/'4' char/block device, '5' dir, '6' fifo, 'x' PAX. */
  type: '0' | '1' | '2' | '3' | '4' | '5' | '6' | 'x';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  linkname?: string;
  devmajor?: number;
  devminor?: number;
}

const BLOCK = 512;
const enc = new TextEncoder();

const fitsOctal = (n: number, width: number): boolean => n >= 0 && n < 8 ** (width - 1);
const isAscii = (s: string): boolean => /^[\x20-\x7e]*$/.test(s);

function octal(buf: Buffer, off: number, width: number, n: number): void {
  buf.write(`${n.toString(8).padStart(width - 1, '0')}\0`, off, width, 'ascii');
}

/** One PAX record: "<len> <key>=<value>\n" where len counts the whole record. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLen = Buffer.byteLength(body);
  let len = bodyLen + String(bodyLen).length;
  if (String(len).length !== String(bodyLen).length) len = bodyLen + String(len).length;
  return `${len}${body}`;
}

/** Writes one 512-byte ustar header at `off` of `buf` (which the caller zero-filled). */
function ustar(buf: Buffer, off: number, h: TarEntryHeader, name: string, link: string): void {
  buf.write(name, off, 100, 'utf8');
  octal(buf, off + 100, 8, h.mode & 0o7777);
  octal(buf, off + 108, 8, fitsOctal(h.uid, 8) ? h.uid : 0);
  octal(buf, off + 116, 8, fitsOctal(h.gid, 8) ? h.gid : 0);
  octal(buf, off + 124, 12, fitsOctal(h.size, 12) ? h.size : 0);
  octal(buf, off + 136, 12, Math.max(0, Math.floor(h.mtime)));
  buf.write('        ', off + 148, 8, 'ascii'); // checksum placeholder: eight spaces
  buf.write(h.type, off + 156, 1, 'ascii');
  buf.write(link, off + 157, 100, 'utf8');
  buf.write('ustar\x0000', off + 257, 8, 'binary');
  octal(buf, off + 329, 8, h.devmajor ?? 0);
  octal(buf, off + 337, 8, h.devminor ?? 0);
  let sum = 0;
  for (let i = off; i < off + BLOCK; i++) sum += buf[i] as number;
  buf.write(`${sum.toString(8).padStart(6, '0')}\0 `, off + 148, 8, 'ascii');
}

/**
 * The header block(s) of an entry: a PAX header plus its records when needed, then the ustar
 * header. The result is a multiple of 512 bytes.
 */
export function encodeTarHeader(h: TarEntryHeader): Buffer {
  const link = h.linkname ?? '';
  const records: string[] = [];
  if (enc.encode(h.name).length > 100 || !isAscii(h.name)) records.push(paxRecord('path', h.name));
  if (enc.encode(link).length > 100 || !isAscii(link)) records.push(paxRecord('linkpath', link));
  if (!fitsOctal(h.uid, 8)) records.push(paxRecord('uid', String(h.uid)));
  if (!fitsOctal(h.gid, 8)) records.push(paxRecord('gid', String(h.gid)));
  if (!fitsOctal(h.size, 12)) records.push(paxRecord('size', String(h.size)));
  if (records.length === 0) {
    const buf = Buffer.alloc(BLOCK);
    ustar(buf, 0, h, h.name, link);
    return buf;
  }
  const pax = Buffer.from(records.join(''), 'utf8');
  const paxBlocks = Math.ceil(pax.length / BLOCK) * BLOCK;
  const buf = Buffer.alloc(BLOCK + paxBlocks + BLOCK);
  const short = (s: string): string => (isAscii(s) ? s : 'pax-name').slice(0, 100);
  ustar(buf, 0, { ...h, type: 'x', size: pax.length, mode: 0o644 }, 'PaxHeader', '');
  pax.copy(buf, BLOCK);
  ustar(buf, BLOCK + paxBlocks, h, short(h.name), short(link));
  return buf;
}

/** Zero bytes that pad an entry body of `size` bytes to a whole block. */
export function paddingOf(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** The end-of-archive marker: two zero blocks. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);
