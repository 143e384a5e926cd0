import { invalidParameter } from '../../errors/index.js';
import type { ContainerStatus } from './types.js';

/** Docker's restart policy. */
export interface RestartPolicy {
  name: string;
  maximumRetryCount: number;
}

const names = new Set(['', 'no', 'always', 'unless-stopped', 'on-failure']);

/** Checks a policy with Docker's messages. */
export function checkRestartPolicy(p: RestartPolicy): void {
  if (!names.has(p.name))
    throw invalidParameter(
      `invalid restart policy: unknown policy '${p.name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`,
    );
  if (p.maximumRetryCount < 0)
    throw invalidParameter('invalid restart policy: maximum retry count cannot be negative');
  if (p.maximumRetryCount > 0 && p.name !== 'on-failure') {
    throw invalidParameter(
      `invalid restart policy: maximum retry count can only be used with 'on-failure'`,
    );
  }
}

/** Whether a container that just exited should be started again by its policy. */
export function shouldRestart(
  p: RestartPolicy,
  exit: { exitCode: number; restartCount: number; manuallyStopped: boolean },
): boolean {
  if (exit.manuallyStopped) return false;
  switch (p.name) {
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure':
      return (
        exit.exitCode !== 0 &&
        (p.maximumRetryCount === 0 || exit.restartCount < p.maximumRetryCount)
      );
    default:
      return false;
  }
}

/**
 * Whether berthd starts this container when it boots. As Docker: `always` comes back even after a
 * manual stop (the daemon restarting is what brings it back), `unless-stopped` only if the user
 * did not stop it, and a container caught waiting for its restart is restarted.
 */
export function shouldStartOnBoot(
  p: RestartPolicy,
  s: { status: ContainerStatus; manuallyStopped: boolean },
): boolean {
  if (s.status === 'restarting') return true;
  if (s.status !== 'exited') return false;
  return p.name === 'always' || (p.name === 'unless-stopped' && !s.manuallyStopped);
}

/** Docker's backoff: 100 ms, doubling per consecutive restart, at most a minute. */
export const firstDelayMs = 100;
const maxDelayMs = 60_000;
/** A container that ran this long before exiting starts its backoff afresh. */
const resetAfterMs = 10_000;

/** The delay before the next restart, given the previous delay and how long the run lasted. */
export function nextDelay(previousMs: number | undefined, ranForMs: number): number {
  if (previousMs === undefined || ranForMs >= resetAfterMs) return firstDelayMs;
  return Math.min(previousMs * 2, maxDelayMs);
}
