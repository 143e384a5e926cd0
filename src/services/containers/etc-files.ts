import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidParameter } from '../../errors/index.js';
import { atomicWrite } from '../../lib/atomic-write.js';
import { buildHosts, defaultHostsLines } from './hosts-file.js';
import { HOST_GATEWAY, parseExtraHost, type ExtraHost } from './name-options.js';
import { buildResolvConf, parseResolvConf } from './resolv-conf.js';
import type { ContainerConfig } from './types.js';

/** The three files Docker bind-mounts into every container, written into its own dir. */
export interface EtcFiles {
  hostname: string;
  hosts: string;
  resolvConf: string;
}

/**
 * What the networks service knows about a container when it starts. Without facts (or with
 * `ips: []`) the container gets the files of an unnetworked container.
 */
export interface EtcFacts {
  /** The container's own IPs (no prefix length), primary network first; [] for none/host. */
  ips: string[];
  /** On a user-defined network: the embedded DNS server's address (that network's gateway). */
  embeddedDns?: string | null;
  /**
   * What `--add-host NAME:host-gateway` means: the daemon's `--host-gateway-ip`, else the
   * default bridge's gateway. Absent: such an entry fails the start, as in Docker.
   */
  hostGateway?: string | null;
  /** Legacy `--link` entries: the linked container's IP and names (alias, hostname, name). */
  links?: { ip: string; names: string[] }[];
  /** The container has an IPv6 address: the host's IPv6 nameservers stay usable. */
  ipv6?: boolean;
}

/** systemd-resolved's stub; Docker then reads the real upstream list resolved keeps. */
const RESOLVED_STUB = '127.0.0.53';
const RESOLVED_UPSTREAMS = '/run/systemd/resolve/resolv.conf';

/**
 * The host's resolv.conf as Docker picks it: /etc/resolv.conf, or systemd-resolved's upstream
 * file when /etc/resolv.conf names only the stub resolver. Read at every start (it may change).
 */
export async function hostResolvConf(): Promise<string> {
  const etc = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
  const ns = parseResolvConf(etc).nameservers;
  if (ns.length === 1 && ns[0] === RESOLVED_STUB) {
    return readFile(RESOLVED_UPSTREAMS, 'utf8').catch(() => etc);
  }
  return etc;
}

/** The container's hostname: its configured one, or the short id as Docker does. */
export function hostnameOf(id: string, config: ContainerConfig): string {
  return config.hostname || id.slice(0, 12);
}

/** --add-host entries with `host-gateway` replaced (Docker's message when it cannot be). */
function resolveExtraHosts(entries: string[], facts: EtcFacts | undefined): ExtraHost[] {
  return entries.map(parseExtraHost).map((h) => {
    if (h.ip !== HOST_GATEWAY) return h;
    if (!facts?.hostGateway)
      throw invalidParameter('unable to derive the IP value for host-gateway');
    return { name: h.name, ip: facts.hostGateway };
  });
}

/**
 * Writes hostname, hosts and resolv.conf for a container about to start (see hosts-file.ts and
 * resolv-conf.ts for the layouts). Host networking follows Docker: the host's own /etc/hosts
 * and /etc/resolv.conf are copied as they are unless --add-host or a --dns* option is given.
 * Throws InvalidParameter for a `host-gateway` entry that cannot be resolved.
 */
export async function writeEtcFiles(
  dir: string,
  id: string,
  config: ContainerConfig,
  facts?: EtcFacts,
): Promise<EtcFiles> {
  const files = etcPaths(dir);
  const hostname = hostnameOf(id, config);
  const { hosts, resolvConf } = await etcContents(hostname, config, facts);
  await Promise.all([
    atomicWrite(files.hostname, `${hostname}\n`),
    atomicWrite(files.hosts, hosts),
    atomicWrite(files.resolvConf, resolvConf),
  ]);
  return files;
}

/**
 * Rewrites hosts and resolv.conf of a running container whose networks changed (a connect or a
 * disconnect), as Docker does: its addresses in /etc/hosts, and the embedded DNS in resolv.conf
 * once it is on a user-defined network. The files are bind-mounted into the container, so they
 * are rewritten in place (a rename would leave the container with the old inode).
 */
export async function refreshEtcFiles(
  dir: string,
  id: string,
  config: ContainerConfig,
  facts: EtcFacts,
): Promise<void> {
  const files = etcPaths(dir);
  const { hosts, resolvConf } = await etcContents(hostnameOf(id, config), config, facts);
  await Promise.all([writeFile(files.hosts, hosts), writeFile(files.resolvConf, resolvConf)]);
}

const etcPaths = (dir: string): EtcFiles => ({
  hostname: join(dir, 'hostname'),
  hosts: join(dir, 'hosts'),
  resolvConf: join(dir, 'resolv.conf'),
});

async function etcContents(
  hostname: string,
  config: ContainerConfig,
  facts: EtcFacts | undefined,
): Promise<{ hosts: string; resolvConf: string }> {
  const isHost = config.networkMode === 'host';
  const extraHosts = resolveExtraHosts(config.extraHosts ?? [], facts);
  const dns = config.dns ?? [];
  const dnsSearch = config.dnsSearch ?? [];
  const dnsOptions = config.dnsOptions ?? [];
  const hostText = await hostResolvConf();
  const resolvConf =
    isHost && dns.length + dnsSearch.length + dnsOptions.length === 0
      ? hostText
      : buildResolvConf({
          host: hostText,
          ...(facts?.embeddedDns && !isHost ? { embeddedDns: facts.embeddedDns } : {}),
          dns,
          dnsSearch,
          dnsOptions,
          ipv6: facts?.ipv6 ?? false,
        });
  const hosts =
    isHost && extraHosts.length === 0
      ? await readFile('/etc/hosts', 'utf8').catch(() => `${defaultHostsLines.join('\n')}\n`)
      : buildHosts({
          hostname,
          domainname: config.domainname,
          addresses: isHost ? [] : (facts?.ips ?? []),
          extraHosts,
          links: isHost ? [] : (facts?.links ?? []),
          omitSelf: isHost,
        });
  return { hosts, resolvConf };
}
