import { invalidParameter } from '../../errors/index.js';

const pattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** True when `name` is a valid local volume name (Docker's rule; at most 255 bytes here). */
export const isVolumeName = (name: string): boolean => pattern.test(name) && name.length <= 255;

/**
 * Checks a volume name, with Docker's message (which also hints at the usual mistake: a relative
 * host path given where a volume name is expected).
 */
export function checkVolumeName(name: string): string {
  if (!isVolumeName(name)) {
    throw invalidParameter(
      `create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
    );
  }
  return name;
}
