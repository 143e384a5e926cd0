import type { ExtraHost } from './name-options.js';

/** What goes into a container's /etc/hosts. */
export interface HostsInput {
  hostname: string;
  domainname: string;
  /** The container's own addresses (no prefix length), primary network first. */
  addresses: string[];
  /** --add-host entries with `host-gateway` already replaced by an address. */
  extraHosts: ExtraHost[];
  /** Legacy --link entries: the linked container's IP and its names (alias, hostname, name). */
  links: { ip: string; names: string[] }[];
  /** No line for the container itself (host networking: the host's own names apply). */
  omitSelf?: boolean;
}

/** Docker's fixed head of every container's /etc/hosts. */
export const defaultHostsLines = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes',
  'ff02::2\tip6-allrouters',
];

/**
 * The names of the container's own line: the FQDN (`hostname.domainname`), then the bare first
 * label when the FQDN has a dot, as Docker writes them.
 */
export function selfNames(hostname: string, domainname: string): string {
  const fqdn = domainname ? `${hostname}.${domainname}` : hostname;
  const dot = fqdn.indexOf('.');
  return dot > 0 ? `${fqdn} ${fqdn.slice(0, dot)}` : fqdn;
}

/**
 * Docker's /etc/hosts layout: the fixed localhost and IPv6 lines, the --add-host entries, the
 * links, then one line per address of the container. A container without an address (network
 * none) gets its names on 127.0.1.1 instead, so `hostname -f` and tools resolving their own
 * name keep working, as Berth always did.
 */
export function buildHosts(input: HostsInput): string {
  const names = selfNames(input.hostname, input.domainname);
  const self = input.omitSelf
    ? []
    : input.addresses.length > 0
      ? input.addresses.map((ip) => `${ip}\t${names}`)
      : [`127.0.1.1\t${names}`];
  return [
    ...defaultHostsLines,
    ...input.extraHosts.map((h) => `${h.ip}\t${h.name}`),
    ...input.links.map((l) => `${l.ip}\t${l.names.join(' ')}`),
    ...self,
    '',
  ].join('\n');
}
