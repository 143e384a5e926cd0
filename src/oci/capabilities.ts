import { invalidParameter } from '../errors/index.js';

/**
 * Linux capability names indexed by their bit number (linux/capability.h): CAP_CHOWN = 0 …
 * CAP_CHECKPOINT_RESTORE = 40. `/proc/<pid>/status` CapEff is a hex mask over these bits.
 */
export const CAPABILITY_NAMES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
];

/** Docker's 14 default capabilities, in the order Docker writes them (CapEff 00000000a80425fb). */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** The bit number of a `CAP_*` name, or undefined for an unknown name. */
export function capabilityBit(name: string): number | undefined {
  const bit = CAPABILITY_NAMES.indexOf(name);
  return bit < 0 ? undefined : bit;
}

/**
 * Canonical `CAP_*` form of a user-supplied name (`chown`, `CAP_chown`, `CAP_CHOWN` all give
 * `CAP_CHOWN`), as Docker accepts them in --cap-add. Throws InvalidParameter for unknown names.
 */
export function normalizeCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (capabilityBit(full) === undefined) throw invalidParameter(`unknown capability: "${name}"`);
  return full;
}

/** The capability names whose bits are set in `mask`, in bit order. */
export function capabilitiesInMask(mask: bigint): string[] {
  return CAPABILITY_NAMES.filter((_, bit) => ((mask >> BigInt(bit)) & 1n) === 1n);
}

/** The mask of a list of `CAP_*` names; throws InvalidParameter for unknown names. */
export function maskOfCapabilities(names: readonly string[]): bigint {
  let mask = 0n;
  for (const n of names) mask |= 1n << BigInt(capabilityBit(normalizeCapability(n)) ?? 0);
  return mask;
}

/**
 * Docker's --cap-add/--cap-drop arithmetic over a base set. `ALL` in `add` grants every known
 * capability except the dropped ones; `ALL` in `drop` starts from nothing but `add`; otherwise
 * drop from the base, then append additions not already present. Names are normalized.
 */
export function adjustCapabilities(
  base: readonly string[],
  add: readonly string[],
  drop: readonly string[],
): string[] {
  const isAll = (n: string): boolean => n.trim().toUpperCase() === 'ALL';
  const adds = add.filter((n) => !isAll(n)).map(normalizeCapability);
  const drops = drop.filter((n) => !isAll(n)).map(normalizeCapability);
  let result: string[];
  if (add.some(isAll)) result = CAPABILITY_NAMES.filter((c) => !drops.includes(c));
  else if (drop.some(isAll)) result = [];
  else result = base.map(normalizeCapability).filter((c) => !drops.includes(c));
  for (const c of adds) if (!result.includes(c)) result.push(c);
  return result;
}
