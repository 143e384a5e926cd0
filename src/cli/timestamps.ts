import { parseGoDuration } from '../lib/go-duration.js';
import { UsageError } from './errors.js';

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
