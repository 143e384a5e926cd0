/**
 * Human-readable durations and sizes, matching the wording and rounding of Docker's go-units
 * (HumanDuration, HumanSizeWithPrecision, BytesSize) so berth's tables read like docker's.
 */

/**
 * A duration in words: "Less than a second", "1 second", "About a minute", "3 hours", "2 weeks"…
 * Negative durations (clock skew) read as "Less than a second".
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (!(seconds >= 1)) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.trunc(ms / 3_600_000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / 3_600_000) / 24 / 365)} years`;
}

const decimalUnits = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const binaryUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

/** Size in decimal units with `precision` significant digits: 4260000 → "4.26MB". */
export function humanSize(bytes: number, precision = 3): string {
  return scaled(bytes, 1000, decimalUnits, precision);
}

/** Size in binary units, 4 significant digits: 25_000_000_000 → "23.28GiB". */
export function bytesSize(bytes: number): string {
  return scaled(bytes, 1024, binaryUnits, 4);
}

function scaled(size: number, base: number, units: string[], precision: number): string {
  let i = 0;
  while (size >= base && i < units.length - 1) {
    size /= base;
    i++;
  }
  return `${formatG(size, precision)}${units[i] ?? ''}`;
}

/**
 * Go's `%.<precision>g`: `precision` significant digits, trailing zeros dropped, exponent form
 * (`1e+03`) when the exponent is < -4 or >= precision.
 */
export function formatG(value: number, precision: number): string {
  if (!Number.isFinite(value)) return String(value);
  // toExponential rounds first, so the exponent already reflects a carry (999.9 → 1.00e+3).
  const [mantissa = '', expText = '0'] = value.toExponential(precision - 1).split('e');
  const exp = Number(expText);
  const stripZeros = (s: string): string => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
  if (exp < -4 || exp >= precision) {
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${stripZeros(mantissa)}e${exp < 0 ? '-' : '+'}${digits}`;
  }
  return stripZeros(value.toFixed(Math.max(0, precision - 1 - exp)));
}
