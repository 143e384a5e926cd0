import { join } from 'node:path';
import { systemError, type BerthError } from '../../errors/index.js';
import { execFile, ExecTimeoutError } from '../../lib/exec.js';

/** A plugin's network configuration (what goes on stdin, minus prevResult). */
export type PluginConfig = Record<string, unknown> & {
  type: string;
  cniVersion: string;
  name: string;
};

/** A CNI result as the plugins print it (only the parts Berth reads are typed). */
export interface CniResult {
  cniVersion?: string;
  interfaces?: { name: string; mac?: string; sandbox?: string }[];
  ips?: { interface?: number; address: string; gateway?: string }[];
  [k: string]: unknown;
}

/** Runtime arguments of one invocation (CNI_* environment). */
export interface CniInvocation {
  command: 'ADD' | 'DEL' | 'CHECK';
  containerId: string;
  netns: string;
  ifName: string;
  cniPath: string;
  timeoutMs?: number;
}

/**
 * Runs one CNI plugin binary with the CNI_* environment and `config` on stdin. Resolves with the
 * parsed result (DEL prints nothing → `{}`). A CNI error object (`{code,msg,details}`) becomes a
 * BerthError carrying the plugin's own message; a timeout becomes a System error. Never hangs:
 * every call has a deadline (default 10 s).
 */
export async function runPlugin(config: PluginConfig, inv: CniInvocation): Promise<CniResult> {
  const bin = join(inv.cniPath, config.type);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    CNI_COMMAND: inv.command,
    CNI_CONTAINERID: inv.containerId,
    CNI_NETNS: inv.netns,
    CNI_IFNAME: inv.ifName,
    CNI_PATH: inv.cniPath,
  };
  let res;
  try {
    res = await execFile(bin, [], {
      timeoutMs: inv.timeoutMs ?? 10_000,
      env,
      input: JSON.stringify(config),
    });
  } catch (e) {
    if (e instanceof ExecTimeoutError)
      throw systemError(
        `CNI plugin ${config.type} ${inv.command} timed out after ${e.timeoutMs} ms`,
        e,
      );
    throw systemError(`CNI plugin ${config.type}: ${(e as Error).message}`, e);
  }
  const out = res.stdout.trim();
  let parsed: unknown = {};
  if (out !== '') {
    try {
      parsed = JSON.parse(out);
    } catch {
      parsed = null;
    }
  }
  if (res.code !== 0 || parsed === null)
    throw pluginError(config.type, inv.command, parsed, res.stderr);
  return parsed as CniResult;
}

/** Turns a CNI error object (or garbage) into a BerthError with the plugin's message. */
function pluginError(type: string, cmd: string, parsed: unknown, stderr: string): BerthError {
  const o = (parsed ?? {}) as { code?: number; msg?: string; details?: string };
  const msg = [o.msg, o.details].filter((s) => typeof s === 'string' && s !== '').join(': ');
  const text = msg !== '' ? msg : stderr.trim() || 'failed without a message';
  return systemError(`CNI plugin ${type} ${cmd} failed: ${text}`);
}

/**
 * ADD through a chain of plugins as libcni does: each gets `prevResult` = the previous stdout.
 * If a later plugin fails, the ones already added are DELeted (best effort, reverse order) so
 * nothing is left half set up, and the original error is rethrown. Resolves with the final result,
 * which the caller must persist for DEL.
 */
export async function addChain(
  chain: PluginConfig[],
  inv: Omit<CniInvocation, 'command'>,
): Promise<CniResult> {
  let prev: CniResult | undefined;
  for (let i = 0; i < chain.length; i++) {
    const conf = chain[i] as PluginConfig;
    try {
      prev = await runPlugin(prev === undefined ? conf : { ...conf, prevResult: prev }, {
        ...inv,
        command: 'ADD',
      });
    } catch (e) {
      await delChain(chain.slice(0, i), prev, inv).catch(() => undefined);
      throw e;
    }
  }
  return prev ?? {};
}

/**
 * DEL through the chain in reverse order, each plugin given the cached final ADD result as
 * `prevResult` (portmap and firewall need it). Every plugin runs even if an earlier one fails;
 * the first error is rethrown at the end.
 */
export async function delChain(
  chain: PluginConfig[],
  cached: CniResult | undefined,
  inv: Omit<CniInvocation, 'command'>,
): Promise<void> {
  let first: unknown;
  for (const conf of [...chain].reverse()) {
    const c = cached === undefined ? conf : { ...conf, prevResult: cached };
    await runPlugin(c, { ...inv, command: 'DEL' }).catch((e: unknown) => {
      first ??= e;
    });
  }
  if (first !== undefined) throw first;
}
