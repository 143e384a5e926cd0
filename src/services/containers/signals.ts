import { invalidParameter } from '../../errors/index.js';

/** Linux signal numbers by name (without the SIG prefix). */
const signals: Record<string, number> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  ILL: 4,
  TRAP: 5,
  ABRT: 6,
  IOT: 6,
  BUS: 7,
  FPE: 8,
  KILL: 9,
  USR1: 10,
  SEGV: 11,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  STKFLT: 16,
  CHLD: 17,
  CONT: 18,
  STOP: 19,
  TSTP: 20,
  TTIN: 21,
  TTOU: 22,
  URG: 23,
  XCPU: 24,
  XFSZ: 25,
  VTALRM: 26,
  PROF: 27,
  WINCH: 28,
  IO: 29,
  POLL: 29,
  PWR: 30,
  SYS: 31,
};

/**
 * Parses a signal the way Docker does: a number (1–64), a name with or without `SIG`, or
 * `RTMIN+n`/`RTMAX-n`. Returns the number; anything else is a 400 `Invalid signal: X`.
 */
export function parseSignal(s: string): number {
  const text = s.trim().toUpperCase();
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n >= 1 && n <= 64) return n;
    throw invalidParameter(`Invalid signal: ${s}`);
  }
  const name = text.startsWith('SIG') ? text.slice(3) : text;
  const known = signals[name];
  if (known !== undefined) return known;
  const rt = /^RTMIN(?:\+(\d+))?$|^RTMAX(?:-(\d+))?$/.exec(name);
  if (rt) {
    const n = rt[0].startsWith('RTMIN') ? 34 + Number(rt[1] ?? 0) : 64 - Number(rt[2] ?? 0);
    if (n >= 34 && n <= 64) return n;
  }
  throw invalidParameter(`Invalid signal: ${s}`);
}
