import { isIPv6 } from 'node:net';

/** What goes into a container's /etc/resolv.conf. */
export interface ResolvConfInput {
  /** The host's resolv.conf text. */
  host: string;
  /** On a user-defined network: the embedded DNS server's address (the network's gateway). */
  embeddedDns?: string;
  /** --dns, --dns-search, --dns-option ([] = not given). */
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  /** The container has IPv6: the host's IPv6 nameservers are kept. */
  ipv6: boolean;
}

/**
 * Docker's fallback when no usable nameserver is left once the host's loopback ones are removed
 * (a host running a local caching resolver): Google Public DNS, as dockerd does, plus its IPv6
 * pair for containers with IPv6. Only ever written into the file; Berth itself sends nothing.
 */
export const fallbackNameservers = ['8.8.8.8', '8.8.4.4'];
export const fallbackNameservers6 = ['2001:4860:4860::8888', '2001:4860:4860::8844'];

interface Parsed {
  nameservers: string[];
  search: string[];
  options: string[];
}

/** The resolver settings of a resolv.conf text (the last search/domain line wins, as in glibc). */
export function parseResolvConf(text: string): Parsed {
  const out: Parsed = { nameservers: [], search: [], options: [] };
  for (const line of text.split('\n')) {
    const [key, ...rest] = line
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/);
    if (key === 'nameserver' && rest[0]) out.nameservers.push(rest[0]);
    else if (key === 'search' || key === 'domain') out.search = rest;
    else if (key === 'options') out.options.push(...rest);
  }
  return out;
}

/** A nameserver that cannot be reached from a container's own network namespace. */
const isLoopback = (ip: string): boolean => /^127\./.test(ip) || ip === '::1';

function usable(ns: string[], ipv6: boolean): string[] {
  return ns.filter((ip) => !isLoopback(ip) && (ipv6 || !isIPv6(ip)));
}

function withFallback(ns: string[], ipv6: boolean): string[] {
  if (ns.length > 0) return ns;
  return ipv6 ? [...fallbackNameservers, ...fallbackNameservers6] : fallbackNameservers;
}

/** Docker's resolvconf.Build layout: search, nameservers, options (`search .` = none). */
function build(search: string[], nameservers: string[], options: string[]): string {
  const lines: string[] = [];
  if (search.length > 0 && search.join(' ').trim() !== '.')
    lines.push(`search ${search.join(' ')}`);
  lines.push(...nameservers.map((ns) => `nameserver ${ns}`));
  if (options.length > 0) lines.push(`options ${options.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The container's resolv.conf, by Docker's rules:
 * - user-defined network: `nameserver <embedded DNS>`, the search list and options of --dns-search
 *   / --dns-option or else the host's, and `ndots:0` unless an ndots option is set (so a bare
 *   container name is asked as is first);
 * - otherwise, with none of --dns/--dns-search/--dns-option: the host's file with its loopback
 *   nameservers removed (and IPv6 ones when the container has no IPv6), comments kept; if no
 *   nameserver is left, {@link fallbackNameservers} are appended;
 * - otherwise: each given setting replaces the host's, the rest come from the host.
 */
export function buildResolvConf(input: ResolvConfInput): string {
  const host = parseResolvConf(input.host);
  const search = input.dnsSearch.length > 0 ? input.dnsSearch : host.search;
  const options = input.dnsOptions.length > 0 ? input.dnsOptions : host.options;
  if (input.embeddedDns !== undefined) {
    const ndots = options.some((o) => o.startsWith('ndots:'));
    return build(search, [input.embeddedDns], ndots ? options : [...options, 'ndots:0']);
  }
  const given = input.dns.length + input.dnsSearch.length + input.dnsOptions.length > 0;
  if (given) {
    const ns = input.dns.length > 0 ? input.dns : usable(host.nameservers, input.ipv6);
    return build(search, withFallback(ns, input.ipv6), options);
  }
  const kept = input.host.split('\n').filter((line) => {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    return !m?.[1] || usable([m[1]], input.ipv6).length === 1;
  });
  const body = kept.join('\n').trimEnd();
  let text = body === '' ? '' : `${body}\n`;
  if (usable(host.nameservers, input.ipv6).length === 0) {
    text += withFallback([], input.ipv6)
      .map((ns) => `nameserver ${ns}\n`)
      .join('');
  }
  return text;
}
