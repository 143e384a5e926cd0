/** Nanoseconds since the epoch, with the microsecond precision the platform clock gives. */
export function nowNanos(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
}

/** Formats epoch nanoseconds as RFC 3339 with nine fractional digits, as Docker prints times. */
export function rfc3339Nano(ns: bigint = nowNanos()): string {
  const ms = Number(ns / 1_000_000n);
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`);
}

/** Parses an RFC 3339 timestamp (any number of fractional digits) to epoch nanoseconds. */
export function parseRfc3339Nano(s: string): bigint {
  const m = /^(.*?)(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) return BigInt(Date.parse(s)) * 1_000_000n;
  const base = Date.parse(`${m[1]}${m[3]}`);
  const frac = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
  return BigInt(base) * 1_000_000n + BigInt(frac);
}
