import { UsageError } from './errors.js';

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
 * A `--since`/`--until` value as the API's `seconds.nanoseconds` string, like docker: a duration
 * means that long before `nowMs`; a unix timestamp passes through; an RFC 3339 date is converted.
 */
export function timestampArg(value: string, nowMs: number): string {
  const duration = value === '0' ? undefined : parseGoDuration(value);
  if (duration !== undefined) return formatUnix(nowMs - duration);
  if (/^\d+(\.\d{1,9})?$/.test(value)) return value;
  const parsed = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(parsed))
    throw new UsageError(`failed to parse value as time or duration: "${value}"`);
  return formatUnix(parsed);
}

function formatUnix(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms - seconds * 1000) * 1e6);
  return `${seconds}.${String(nanos).padStart(9, '0')}`;
}
