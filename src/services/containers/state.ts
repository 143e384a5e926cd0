import type { ContainerStatus } from './types.js';

/** Which status may follow which. Every verb checks its transition here before acting. */
const allowed: Record<ContainerStatus, readonly ContainerStatus[]> = {
  created: ['running', 'exited', 'removing'],
  running: ['paused', 'restarting', 'exited', 'dead'],
  restarting: ['running', 'exited', 'removing'],
  paused: ['running', 'exited', 'dead'],
  exited: ['running', 'removing'],
  dead: ['removing'],
  removing: ['dead'],
};

/** True when a container in `from` may move to `to`. */
export function canTransition(from: ContainerStatus, to: ContainerStatus): boolean {
  return allowed[from].includes(to);
}

/** True for the states in which a container process exists. */
export function isActive(status: ContainerStatus): boolean {
  return status === 'running' || status === 'paused';
}
