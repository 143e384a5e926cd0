import profileJson from './docker-default.json' with { type: 'json' };
import { parseSeccompProfile, type SeccompProfile } from './profile.js';

let cached: SeccompProfile | undefined;

/**
 * moby's default seccomp profile (see README.md beside this file), validated once on first use.
 * Callers get a shared object and must not mutate it; `resolveSeccomp` does not.
 */
export function dockerDefaultProfile(): SeccompProfile {
  cached ??= parseSeccompProfile(profileJson);
  return cached;
}
