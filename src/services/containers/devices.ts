/**
 * `--device host[:container][:rwm]` and `--device-cgroup-rule`: validation with Docker's messages
 * and their translation into device nodes (created by runc in the container) plus devices-cgroup
 * allow rules. Host lookups are synchronous stats of /dev entries: cheap, and they run at create
 * (to refuse a missing device with 400) and again at start (the node may have changed).
 */
import { lstatSync, readdirSync, realpathSync, statSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { invalidParameter } from '../../errors/index.js';
import type { LinuxDevice, LinuxDeviceCgroup } from '../../oci/types.js';

/** One `HostConfig.Devices` entry, as stored (defaults filled in). */
export interface DeviceMapping {
  pathOnHost: string;
  pathInContainer: string;
  cgroupPermissions: string;
}

/** What a set of mappings adds to the spec. */
export interface DeviceSpec {
  devices: LinuxDevice[];
  rules: LinuxDeviceCgroup[];
}

/** A directory given as a device is walked for at most this many entries (`--device /` guard). */
const MAX_WALK = 4096;

const PERMISSIONS = /^(?!.*(.).*\1)[rwm]{1,3}$/;

/** r, w and m, each at most once, at least one. */
export function isValidDeviceMode(mode: string): boolean {
  return PERMISSIONS.test(mode);
}

function checkPath(what: string, p: string): void {
  if (p.includes('\0') || !p.startsWith('/') || p.split('/').includes('..')) {
    throw invalidParameter(`${what} must be an absolute path without "..": ${p}`);
  }
}

/** Fills Docker's defaults (container path = host path, permissions rwm) and checks the form. */
export function normalizeDeviceMapping(m: {
  pathOnHost: string;
  pathInContainer?: string;
  cgroupPermissions?: string;
}): DeviceMapping {
  const pathInContainer = m.pathInContainer || m.pathOnHost;
  const cgroupPermissions = m.cgroupPermissions || 'rwm';
  if (m.pathOnHost === '') throw invalidParameter('device path on host cannot be empty');
  checkPath('device path on host', m.pathOnHost);
  checkPath('device path in container', pathInContainer);
  if (!isValidDeviceMode(cgroupPermissions)) {
    throw invalidParameter(`invalid device mode: ${cgroupPermissions}`);
  }
  return { pathOnHost: m.pathOnHost, pathInContainer, cgroupPermissions };
}

/** glibc's major()/minor() of a dev_t. */
export function splitDev(rdev: bigint): { major: number; minor: number } {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  return { major: Number(major & 0xffffffffn), minor: Number(minor & 0xffffffffn) };
}

/** The node at `path` (not following a final symlink), or undefined when it is no device. */
function nodeAt(path: string): { st: BigIntStats; type: 'c' | 'b' } | undefined {
  const st = lstatSync(path, { bigint: true });
  if (st.isCharacterDevice()) return { st, type: 'c' };
  if (st.isBlockDevice()) return { st, type: 'b' };
  return undefined;
}

function entryOf(
  node: { st: BigIntStats; type: 'c' | 'b' },
  pathInContainer: string,
  permissions: string,
): { device: LinuxDevice; rule: LinuxDeviceCgroup } {
  const { major, minor } = splitDev(node.st.rdev);
  return {
    device: {
      path: pathInContainer,
      type: node.type,
      major,
      minor,
      fileMode: Number(node.st.mode & 0o777n),
      uid: Number(node.st.uid),
      gid: Number(node.st.gid),
    },
    rule: { allow: true, type: node.type, major, minor, access: permissions },
  };
}

/** Every device node under `dir` (symlinks are not followed), in directory order. */
function walkDevices(dir: string): string[] {
  const found: string[] = [];
  const queue = [dir];
  let visited = 0;
  while (queue.length > 0) {
    const d = queue.shift() as string;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (++visited > MAX_WALK) {
        throw invalidParameter(`too many entries under ${dir} to add as devices`);
      }
      const p = join(d, e.name);
      if (e.isDirectory()) queue.push(p);
      else if (e.isCharacterDevice() || e.isBlockDevice()) found.push(p);
    }
  }
  return found;
}

const gatherError = (path: string, reason: string): Error =>
  invalidParameter(
    `error gathering device information while adding custom device "${path}": ${reason}`,
  );

function reasonOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return (e as Error).message;
}

/**
 * The device nodes and cgroup rules for one mapping, as Docker builds them: a symlink is
 * resolved first; a device node maps to itself; a directory maps every device node below it
 * (paths rewritten under the container path). Throws InvalidParameter with Docker's
 * "error gathering device information…" message when nothing usable is there.
 */
export function devicesFromMapping(m: DeviceMapping): DeviceSpec {
  let resolved = m.pathOnHost;
  let node;
  try {
    if (lstatSync(resolved).isSymbolicLink()) resolved = realpathSync(resolved);
    node = nodeAt(resolved);
  } catch (e) {
    throw gatherError(m.pathOnHost, reasonOf(e));
  }
  if (node !== undefined) {
    const { device, rule } = entryOf(node, m.pathInContainer, m.cgroupPermissions);
    return { devices: [device], rules: [rule] };
  }
  const out: DeviceSpec = { devices: [], rules: [] };
  if (statSync(resolved).isDirectory()) {
    for (const p of walkDevices(resolved)) {
      const child = nodeAt(p);
      if (child === undefined) continue;
      const inContainer = m.pathInContainer.replace(/\/+$/, '') + p.slice(resolved.length);
      const { device, rule } = entryOf(child, inContainer, m.cgroupPermissions);
      out.devices.push(device);
      out.rules.push(rule);
    }
  }
  if (out.devices.length === 0) throw gatherError(m.pathOnHost, 'not a device node');
  return out;
}

const RULE = /^([acb]) ([0-9]+|\*):([0-9]+|\*) ([rwm]{1,3})$/;

/**
 * One `--device-cgroup-rule` ('c 1:3 rwm', 'b 8:* r', 'a *:* m') as an allow rule; `*` leaves
 * the number out, which runc reads as "any".
 */
export function parseDeviceCgroupRule(rule: string): LinuxDeviceCgroup {
  const m = RULE.exec(rule);
  if (m === null || !isValidDeviceMode(m[4] as string)) {
    throw invalidParameter(`invalid device cgroup format '${rule}'`);
  }
  const num = (s: string): number | undefined => (s === '*' ? undefined : Number(s));
  const major = num(m[2] as string);
  const minor = num(m[3] as string);
  if ((major ?? 0) > 0xffffffff || (minor ?? 0) > 0xffffffff) {
    throw invalidParameter(`invalid device cgroup format '${rule}'`);
  }
  return {
    allow: true,
    type: m[1] as string,
    ...(major === undefined ? {} : { major }),
    ...(minor === undefined ? {} : { minor }),
    access: m[4] as string,
  };
}

/** Everything the user's devices and rules add, in Docker's order (devices, then rules). */
export function deviceSpecOf(
  mappings: readonly DeviceMapping[],
  rules: readonly string[],
): DeviceSpec {
  const out: DeviceSpec = { devices: [], rules: [] };
  for (const m of mappings) {
    const s = devicesFromMapping(m);
    out.devices.push(...s.devices);
    out.rules.push(...s.rules);
  }
  out.rules.push(...rules.map(parseDeviceCgroupRule));
  return out;
}
