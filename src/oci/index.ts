/**
 * The OCI runtime-spec builder: pure functions from container settings to config.json, plus
 * `readHostLimits` (the one reader of /proc). Import from here rather than from the files.
 */
export * from './types.js';
export * from './spec-options.js';
export * from './capabilities.js';
export { clampToHost, withHostLimits, parseCapEff, parseProcLimits } from './host-limits.js';
export type { HostLimits, HostRlimit } from './host-limits.js';
export { readHostLimits } from './read-host-limits.js';
export { DEFAULT_PATH_ENV, dockerEnv, mergeEnv } from './env.js';
export { dockerDefaultSpec, type DockerSpecInput } from './docker-defaults.js';
export { dockerDefaultProfile } from './seccomp/default-profile.js';
export { parseSeccompProfile } from './seccomp/profile.js';
export type {
  SeccompProfile,
  ProfileSyscall,
  ProfileFilter,
  ArchMapEntry,
} from './seccomp/profile.js';
export { resolveSeccomp, type SeccompArch, type SeccompContext } from './seccomp/resolve.js';
