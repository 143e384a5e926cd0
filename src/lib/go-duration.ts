const unitMs: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const durationPattern = /^[+-]?(?:\d*(?:\.\d*)?(?:ns|us|µs|ms|s|m|h))+$/;
const termPattern = /(\d*(?:\.\d*)?)(ns|us|µs|ms|s|m|h)/g;

/** Parses a Go duration (`1h30m`, `10s`, `1.5h`) into milliseconds; undefined if it is not one. */
export function parseGoDuration(s: string): number | undefined {
  if (!durationPattern.test(s)) return undefined;
  let total = 0;
  for (const [, num = '', unit = ''] of s.matchAll(termPattern)) {
    if (num === '' || num === '.') return undefined;
    total += Number(num) * (unitMs[unit] ?? 0);
  }
  return s.startsWith('-') ? -total : total;
}

/**
 * A point in time as Docker's `until`/`since` filters take it, in epoch milliseconds: unix
 * seconds (with an optional fraction), a Go duration before `nowMs` (`10m`, `1h30m`), or an
 * RFC 3339 date. Undefined when it is none of these.
 */
export function parseDockerTime(v: string, nowMs: number): number | undefined {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const ago = parseGoDuration(v);
  if (ago !== undefined) return nowMs - ago;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}
