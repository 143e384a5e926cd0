import { capabilitiesInMask } from '../../../oci/capabilities.js';
import { clampToHost, type HostLimits } from '../../../oci/host-limits.js';
import type { Process, User } from '../../../oci/types.js';

/** What an exec changes in the container's process. */
export interface ExecProcessInput {
  args: string[];
  /** The complete environment (already merged). */
  env: string[];
  cwd: string;
  user: User;
  tty: boolean;
  /** [rows, columns]; ignored without a TTY or when either is 0. */
  consoleSize: [number, number] | null;
  /** Every capability the engine holds, in every set, instead of the container's. */
  privileged: boolean;
}

/**
 * The process.json of an exec: the container's own process (capabilities, rlimits,
 * noNewPrivileges, AppArmor/SELinux labels) with the exec's args, env, cwd, user and terminal.
 * The container's seccomp filter still applies: runc takes it from the container, not from here.
 * Pure; the result is clamped to what the engine may grant (LOWLEVEL P1).
 */
export function execProcess(base: Process, input: ExecProcessInput, host: HostLimits): Process {
  const p: Process = structuredClone(base);
  p.args = [...input.args];
  p.env = [...input.env];
  p.cwd = input.cwd;
  p.user = structuredClone(input.user);
  p.terminal = input.tty;
  delete p.consoleSize;
  const size = input.consoleSize;
  if (input.tty && size !== null && size[0] > 0 && size[1] > 0) {
    p.consoleSize = { height: size[0], width: size[1] };
  }
  if (input.privileged) {
    const all = capabilitiesInMask(host.capEff);
    p.capabilities = { bounding: all, effective: [...all], permitted: [...all] };
  }
  const clamped = clampToHost({ ociVersion: '1.0.2', process: p }, host).process;
  if (clamped === undefined) throw new Error('clampToHost dropped the process');
  return clamped;
}
