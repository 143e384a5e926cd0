import { access, readFile, writeFile } from 'node:fs/promises';
import { conflict, systemError } from '../../errors/index.js';
import { execFile } from '../../lib/exec.js';
import { parseCidr } from './cidr.js';
import { BERTH_DEVGROUP } from './names.js';
import type { BridgeNetworkSpec } from './types.js';

const exists = (p: string): Promise<boolean> =>
  access(p).then(
    () => true,
    () => false,
  );

/** Writes a sysctl through /proc (no spawn) unless it already has the value. */
async function sysctl(path: string, value: string): Promise<void> {
  const now = await readFile(path, 'utf8').catch(() => null);
  if (now?.trim() !== value) await writeFile(path, value);
}

/** Runs `ip -batch -` with the given commands; one spawn for the whole device setup. */
async function ipBatch(cmds: string[], what: string): Promise<void> {
  const r = await execFile('ip', ['-batch', '-'], {
    timeoutMs: 10_000,
    input: cmds.join('\n') + '\n',
  });
  if (r.code !== 0) throw systemError(`${what}: ${r.stderr.trim()}`);
}

/**
 * Creates (or completes) the bridge device once per network: gateway address, MTU, the Berth
 * device group (see filterRules: isolation), up. Sets route_localnet on it (published ports on
 * 127.0.0.1) and the host-wide settings Docker also sets: bridge-nf-call-iptables=1 (so the
 * per-network ICC rules see bridged traffic) and, for networks with a way out, ip_forward=1.
 * Throws Conflict when a non-bridge device already has the name.
 */
export async function ensureBridge(spec: BridgeNetworkSpec): Promise<void> {
  const br = spec.bridge;
  const sys = `/sys/class/net/${br}`;
  const prefix = parseCidr(spec.subnet).prefix;
  const cmds: string[] = [];
  if (await exists(sys)) {
    if (!(await exists(`${sys}/bridge`))) throw conflict(`device ${br} exists and is not a bridge`);
  } else cmds.push(`link add ${br} type bridge`);
  // `replace` is idempotent, so no spawn is spent on looking first.
  cmds.push(`addr replace ${spec.gateway}/${prefix} dev ${br}`);
  cmds.push(`link set dev ${br} group ${BERTH_DEVGROUP}${spec.mtu ? ` mtu ${spec.mtu}` : ''} up`);
  await ipBatch(cmds, `setting up bridge ${br}`);

  await sysctl(`/proc/sys/net/ipv4/conf/${br}/route_localnet`, '1');
  if (!(await exists('/proc/sys/net/bridge/bridge-nf-call-iptables')))
    await execFile('modprobe', ['br_netfilter'], { timeoutMs: 10_000 });
  await sysctl('/proc/sys/net/bridge/bridge-nf-call-iptables', '1').catch(() => undefined);
  if (!spec.internal) await sysctl('/proc/sys/net/ipv4/ip_forward', '1');
}

/** Deletes the bridge device; idempotent. Its remaining ports (host veth ends) go with it. */
export async function deleteBridge(bridge: string): Promise<void> {
  if (!(await exists(`/sys/class/net/${bridge}`))) return;
  const r = await execFile('ip', ['link', 'del', 'dev', bridge], { timeoutMs: 10_000 });
  if (r.code !== 0 && (await exists(`/sys/class/net/${bridge}`)))
    throw systemError(`deleting bridge ${bridge}: ${r.stderr.trim()}`);
}

/** Deletes one host-side veth (which deletes its peer in the sandbox); idempotent. */
export async function deleteLink(name: string): Promise<void> {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(name) || !(await exists(`/sys/class/net/${name}`))) return;
  await execFile('ip', ['link', 'del', 'dev', name], { timeoutMs: 10_000 });
}

/**
 * Takes a host veth end down through sysfs (no spawn, well under 1 ms): the container end loses
 * carrier at once, so its address is unreachable before the slow veth deletion (~25 ms of kernel
 * time) has run. Idempotent; a missing device is fine.
 */
export async function downLink(name: string): Promise<void> {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(name)) return;
  const path = `/sys/class/net/${name}/flags`;
  const flags = await readFile(path, 'utf8').catch(() => null);
  if (flags === null) return;
  const n = parseInt(flags.trim(), 16);
  if ((n & 1) === 1) await writeFile(path, `0x${(n & ~1).toString(16)}`).catch(() => undefined);
}
