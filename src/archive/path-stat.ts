import type { Stats } from 'node:fs';

/**
 * What `X-Docker-Container-Path-Stat` carries (Docker's `container.PathStat`): the base name, the
 * size, a Go `os.FileMode`, the mtime in RFC 3339 with nanoseconds, and for a symlink its target
 * resolved inside the container (an absolute container path), else "".
 */
export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

// Go's os.FileMode type bits (io/fs): the permission bits stay in the low 9 bits.
const modeDir = 2 ** 31;
const modeSymlink = 2 ** 27;
const modeDevice = 2 ** 26;
const modeNamedPipe = 2 ** 25;
const modeSocket = 2 ** 24;
const modeSetuid = 2 ** 23;
const modeSetgid = 2 ** 22;
const modeCharDevice = 2 ** 21;
const modeSticky = 2 ** 20;

/** The Go `os.FileMode` of an lstat result (as Go's `fillFileStatFromSys` builds it). */
export function goFileMode(st: Pick<Stats, 'mode'>): number {
  const m = st.mode;
  let mode = m & 0o777;
  switch (m & 0o170000) {
    case 0o040000:
      mode += modeDir;
      break;
    case 0o120000:
      mode += modeSymlink;
      break;
    case 0o010000:
      mode += modeNamedPipe;
      break;
    case 0o140000:
      mode += modeSocket;
      break;
    case 0o020000:
      mode += modeDevice + modeCharDevice;
      break;
    case 0o060000:
      mode += modeDevice;
      break;
  }
  if ((m & 0o4000) !== 0) mode += modeSetuid;
  if ((m & 0o2000) !== 0) mode += modeSetgid;
  if ((m & 0o1000) !== 0) mode += modeSticky;
  return mode;
}

/** True when a Go FileMode denotes a directory. */
export function isGoDir(mode: number): boolean {
  return mode >= modeDir;
}

/** RFC 3339 with up to nanosecond precision and no trailing zeros, as Go's time.Time marshals. */
export function rfc3339Nano(st: Pick<Stats, 'mtimeMs'> & { mtimeNs?: bigint }): string {
  const ns = st.mtimeNs ?? BigInt(Math.round(st.mtimeMs * 1e6));
  const secs = ns / 1_000_000_000n;
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  const base = new Date(Number(secs) * 1000).toISOString().slice(0, 19);
  return `${base}${frac === '' ? '' : `.${frac}`}Z`;
}

/** The header value: base64 of the JSON (standard alphabet, as Go's base64.StdEncoding). */
export function encodePathStat(s: PathStat): string {
  return Buffer.from(JSON.stringify(s)).toString('base64');
}
