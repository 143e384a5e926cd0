import { invalidParameter } from '../../../errors/index.js';

/**
 * A container's health check as Docker models it (`Config.Healthcheck`). Durations are in
 * nanoseconds as on the wire and in image configs; 0 means "inherit from the image, else the
 * default".
 */
export interface HealthConfig {
  /**
   * `[]` inherits the image's test; `['NONE']` disables the check; `['CMD', argv...]` runs argv;
   * `['CMD-SHELL', command]` runs `/bin/sh -c command`.
   */
  test: string[];
  intervalNs: number;
  timeoutNs: number;
  startPeriodNs: number;
  startIntervalNs: number;
  /** Consecutive failures that make the container unhealthy; 0 inherits. */
  retries: number;
}

/** A health check ready to run: Docker's defaults applied, durations in nanoseconds. */
export interface Probe {
  /** The command line run as an exec inside the container. */
  argv: string[];
  intervalNs: number;
  timeoutNs: number;
  startPeriodNs: number;
  startIntervalNs: number;
  retries: number;
}

const MS = 1_000_000;
const SECOND = 1000 * MS;
/** Docker's defaults (moby daemon/health.go). */
export const HEALTH_DEFAULTS = {
  intervalNs: 30 * SECOND,
  timeoutNs: 30 * SECOND,
  startPeriodNs: 0,
  startIntervalNs: 5 * SECOND,
  retries: 3,
} as const;

const durations = [
  ['intervalNs', 'Interval'],
  ['timeoutNs', 'Timeout'],
  ['startPeriodNs', 'StartPeriod'],
  ['startIntervalNs', 'StartInterval'],
] as const;

/**
 * Docker's create-time checks of a user's health check, with its messages (400s): a duration is 0
 * or at least 1ms, retries are not negative.
 */
export function validateHealthConfig(h: HealthConfig): void {
  for (const [key, wire] of durations) {
    const v = h[key];
    if (!Number.isSafeInteger(v)) throw invalidParameter(`${wire} in Healthcheck is not valid`);
    if (v !== 0 && v < MS) throw invalidParameter(`${wire} in Healthcheck cannot be less than 1ms`);
    // Docker checks Retries right after Timeout; keep its order for the first failing field.
    if (key === 'timeoutNs') checkRetries(h.retries);
  }
  for (const a of h.test) {
    if (typeof a !== 'string' || a.includes('\0')) {
      throw invalidParameter('Test in Healthcheck must be a list of strings without NUL bytes');
    }
  }
}

function checkRetries(retries: number): void {
  if (!Number.isSafeInteger(retries)) throw invalidParameter('Retries in Healthcheck is not valid');
  if (retries < 0) throw invalidParameter('Retries in Healthcheck cannot be negative');
}

/**
 * Docker's merge of the user's health check over the image's: no user check takes the image's
 * whole; otherwise an empty test and every zero field are taken from the image.
 */
export function mergeHealthConfig(
  user: HealthConfig | undefined,
  image: HealthConfig | null,
): HealthConfig | null {
  if (user === undefined) return image === null ? null : { ...image, test: [...image.test] };
  if (image === null) return { ...user, test: [...user.test] };
  const pick = (u: number, i: number): number => (u !== 0 ? u : i);
  return {
    test: user.test.length > 0 ? [...user.test] : [...image.test],
    intervalNs: pick(user.intervalNs, image.intervalNs),
    timeoutNs: pick(user.timeoutNs, image.timeoutNs),
    startPeriodNs: pick(user.startPeriodNs, image.startPeriodNs),
    startIntervalNs: pick(user.startIntervalNs, image.startIntervalNs),
    retries: pick(user.retries, image.retries),
  };
}

/** True for a test that names a check type Docker knows (or none at all). */
export function isKnownTest(test: readonly string[]): boolean {
  return test.length === 0 || ['NONE', 'CMD', 'CMD-SHELL'].includes(test[0] ?? '');
}

/**
 * The probe a stored health check runs, or null when there is none: no config, an empty test,
 * `NONE`, or an unknown type (Docker only logs a warning for those). Durations that are unset —
 * or nonsensical in an image config, which is not validated like a request — get the defaults.
 */
export function probeOf(h: HealthConfig | null | undefined): Probe | null {
  if (!h || h.test.length === 0) return null;
  const [kind, ...rest] = h.test;
  let argv: string[];
  if (kind === 'CMD') argv = rest;
  else if (kind === 'CMD-SHELL') argv = ['/bin/sh', '-c', ...rest];
  else return null;
  const orDefault = (v: number, d: number): number =>
    Number.isSafeInteger(v) && v > 0 ? Math.max(v, MS) : d;
  return {
    argv,
    intervalNs: orDefault(h.intervalNs, HEALTH_DEFAULTS.intervalNs),
    timeoutNs: orDefault(h.timeoutNs, HEALTH_DEFAULTS.timeoutNs),
    startPeriodNs: orDefault(h.startPeriodNs, HEALTH_DEFAULTS.startPeriodNs),
    startIntervalNs: orDefault(h.startIntervalNs, HEALTH_DEFAULTS.startIntervalNs),
    retries: Number.isSafeInteger(h.retries) && h.retries > 0 ? h.retries : HEALTH_DEFAULTS.retries,
  };
}

/**
 * Reads an OCI image config's `config.Healthcheck` (as Docker writes it: Test, Interval, Timeout,
 * StartPeriod, StartInterval, Retries) into the model; null when absent or not an object.
 * Image configs are untrusted input: wrong types are treated as unset.
 */
export function healthFromImage(raw: unknown): HealthConfig | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const r = raw as Record<string, unknown>;
  const num = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) ? v : 0);
  const test = Array.isArray(r['Test']) ? r['Test'].filter((a) => typeof a === 'string') : [];
  return {
    test: test as string[],
    intervalNs: num(r['Interval']),
    timeoutNs: num(r['Timeout']),
    startPeriodNs: num(r['StartPeriod']),
    startIntervalNs: num(r['StartInterval']),
    retries: num(r['Retries']),
  };
}
