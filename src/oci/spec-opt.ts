import type { Linux, LinuxResources, Process, Spec } from './types.js';

/**
 * One composable edit of a spec (containerd's SpecOpts). An option mutates the spec it is given,
 * may assume nothing about which options ran before it, and throws an InvalidParameter BerthError
 * for input it cannot express. Options that touch `process` or `linux` create them on demand.
 */
export type SpecOpt = (spec: Spec) => void;

/** The ociVersion Docker 20.10 writes; runc 1.1 accepts it. */
export const OCI_VERSION = '1.0.2-dev';

/**
 * The spec's process, created as a placeholder (root, no args, cwd "/") when absent so that
 * process-level options (capabilities, rlimits…) compose in any order with `withProcess`.
 */
export function processOf(spec: Spec): Process {
  spec.process ??= { user: { uid: 0, gid: 0 }, args: [], cwd: '/' };
  return spec.process;
}

/** The spec's `linux` section, created empty when absent. */
export function linuxOf(spec: Spec): Linux {
  spec.linux ??= {};
  return spec.linux;
}

/** The spec's `linux.resources` section, created empty when absent. */
export function resourcesOf(spec: Spec): LinuxResources {
  const linux = linuxOf(spec);
  linux.resources ??= {};
  return linux.resources;
}
