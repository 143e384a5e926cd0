/** Nanoseconds per unit, largest first. */
const NS_PER_HOUR = 3_600_000_000_000;
const NS_PER_MINUTE = 60_000_000_000;
const NS_PER_SECOND = 1_000_000_000;

/** `whole.fraction` of `v / div` with trailing zeros of the fraction dropped (Go's style). */
function decimal(v: number, div: number): string {
  const whole = Math.floor(v / div);
  const frac = v - whole * div;
  if (frac === 0) return String(whole);
  const digits = String(div).length - 1;
  return `${whole}.${String(frac).padStart(digits, '0').replace(/0+$/, '')}`;
}

/**
 * Formats a duration in nanoseconds as Go's `time.Duration.String()` does (`300ms`, `30s`,
 * `1m30s`, `1h0m0s`, `1.5µs`), because Docker's health messages print durations that way.
 */
export function goDuration(ns: number): string {
  const v = Math.abs(Math.trunc(ns));
  const sign = ns < 0 && v !== 0 ? '-' : '';
  if (v === 0) return '0s';
  if (v < 1000) return `${sign}${v}ns`;
  if (v < 1_000_000) return `${sign}${decimal(v, 1000)}µs`;
  if (v < NS_PER_SECOND) return `${sign}${decimal(v, 1_000_000)}ms`;
  const h = Math.floor(v / NS_PER_HOUR);
  const m = Math.floor((v - h * NS_PER_HOUR) / NS_PER_MINUTE);
  const s = `${decimal(v - h * NS_PER_HOUR - m * NS_PER_MINUTE, NS_PER_SECOND)}s`;
  if (h > 0) return `${sign}${h}h${m}m${s}`;
  return m > 0 ? `${sign}${m}m${s}` : `${sign}${s}`;
}
