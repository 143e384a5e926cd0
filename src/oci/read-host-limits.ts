import { readFileSync } from 'node:fs';
import { systemError } from '../errors/index.js';
import { parseCapEff, parseProcLimits, type HostLimits } from './host-limits.js';

/**
 * Reads the calling process's effective capabilities and rlimits from /proc/self. The only I/O
 * in src/oci; call it once at daemon start (the values do not change while it runs).
 */
export function readHostLimits(): HostLimits {
  try {
    return {
      capEff: parseCapEff(readFileSync('/proc/self/status', 'utf8')),
      rlimits: parseProcLimits(readFileSync('/proc/self/limits', 'utf8')),
    };
  } catch (err) {
    throw systemError('cannot read host capabilities and limits from /proc/self', err);
  }
}
