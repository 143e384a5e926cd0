/**
 * The pure health state machine of one container: `starting` until the first success or until
 * `retries` consecutive failures (outside the start period) make it `unhealthy`; any success makes
 * it `healthy` and resets the failing streak.
 */

/** Docker's health statuses of a container that has a health check. */
export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';

/** One probe's outcome (Docker's HealthcheckResult); times are RFC 3339 with nanoseconds. */
export interface HealthResult {
  start: string;
  end: string;
  /** 0 healthy; anything else a failure; -1 when the probe could not run or timed out. */
  exitCode: number;
  output: string;
}

/** What inspect shows as `State.Health`. */
export interface HealthState {
  status: HealthStatus;
  failingStreak: number;
  /** The last {@link HEALTH_LOG_SIZE} results, oldest first. */
  log: HealthResult[];
}

/** How many results Docker keeps. */
export const HEALTH_LOG_SIZE = 5;

/**
 * The state of a container whose check (re)starts: `starting`, streak 0. The log of an earlier
 * run is kept, as Docker keeps it across restarts.
 */
export function startingHealth(prev?: HealthState): HealthState {
  return { status: 'starting', failingStreak: 0, log: prev ? [...prev.log] : [] };
}

/**
 * The state once the check stopped (container exited or paused): Docker reports `unhealthy`
 * for a check that no longer runs.
 */
export function stoppedHealth(s: HealthState): HealthState {
  return { ...s, status: 'unhealthy', log: [...s.log] };
}

/** What the rules need to know about the probe's moment. */
export interface ProbeRules {
  /** Consecutive failures that make the container unhealthy (≥ 1). */
  retries: number;
  /** The probe started within the start period (counted from the container's start). */
  inStartPeriod: boolean;
}

/**
 * Applies one result: the log keeps the last five; a success makes it healthy with streak 0; a
 * failure adds to the streak unless the container is still `starting` within its start period,
 * and turns it unhealthy once the streak reaches `retries`. Returns a new state.
 */
export function applyProbeResult(
  s: HealthState,
  result: HealthResult,
  rules: ProbeRules,
): HealthState {
  const log = [...s.log, result].slice(-HEALTH_LOG_SIZE);
  if (result.exitCode === 0) return { status: 'healthy', failingStreak: 0, log };
  if (s.status === 'starting' && rules.inStartPeriod) return { ...s, log };
  const failingStreak = s.failingStreak + 1;
  const status = failingStreak >= Math.max(1, rules.retries) ? 'unhealthy' : s.status;
  return { status, failingStreak, log };
}

/** The value the `health` list filter matches: the status, or `none` without a check. */
export function healthFilterValue(s: HealthState | undefined): HealthStatus | 'none' {
  return s?.status ?? 'none';
}

/** The values Docker accepts for the `health` list filter. */
export const HEALTH_FILTER_VALUES: ReadonlySet<string> = new Set([
  'starting',
  'healthy',
  'unhealthy',
  'none',
]);
