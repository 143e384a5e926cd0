import { isIP } from 'node:net';
import { invalidParameter } from '../../errors/index.js';

/** `--add-host NAME:host-gateway`: the host's address as the daemon knows it. */
export const HOST_GATEWAY = 'host-gateway';

/** The validated name options of a container: Docker's HostConfig Dns* and ExtraHosts. */
export interface NameOptions {
  dns: string[];
  dnsSearch: string[];
  dnsOptions: string[];
  /** As the user gave them (`name:ip`, `name=ip`, `name:[v6]`, `name:host-gateway`). */
  extraHosts: string[];
}

/** One parsed `--add-host` entry; `ip` may be {@link HOST_GATEWAY}. */
export interface ExtraHost {
  name: string;
  ip: string;
}

// Docker's domain rule for --dns-search (labels of letters, digits and inner hyphens).
const label = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainPattern = new RegExp(`^${label}(?:\\.${label})*\\.?$`);
/** Nothing that could end a line or a field of /etc/hosts, resolv.conf or /etc/hostname. */
const unsafe = {
  test: (s: string): boolean => /\s/.test(s) || [...s].some((ch) => ch < ' ' || ch === '\u007f'),
};

/**
 * Parses `name:ip`, `name=ip`, `name:[ipv6]` or `name:host-gateway` with Docker's messages: the
 * name is split at the first `=` (else the first `:`, so IPv6 addresses keep theirs).
 */
export function parseExtraHost(entry: string): ExtraHost {
  let cut = entry.indexOf('=');
  if (cut === -1) cut = entry.indexOf(':');
  const name = cut === -1 ? '' : entry.slice(0, cut);
  let ip = cut === -1 ? '' : entry.slice(cut + 1);
  if (name === '' || name.includes(':') || unsafe.test(name)) {
    throw invalidParameter(`bad format for add-host: ${JSON.stringify(entry)}`);
  }
  if (ip === HOST_GATEWAY) return { name, ip };
  if (ip.length > 2 && ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  if (isIP(ip) === 0)
    throw invalidParameter(`invalid IP address in add-host: ${JSON.stringify(ip)}`);
  return { name, ip };
}

/** `--dns`: an IP address (Docker's CLI message), stored as given. */
function checkDns(v: string): string {
  if (isIP(v.trim()) === 0) throw invalidParameter(`${v} is not an ip address`);
  return v.trim();
}

/** `--dns-search`: a domain, or `.` (no search list). */
function checkDnsSearch(v: string): string {
  const d = v.trim();
  if (d === '.') return d;
  if (d.length > 255 || !domainPattern.test(d))
    throw invalidParameter(`${v} is not a valid domain`);
  return d;
}

/** `--dns-option`: one resolv.conf option word (`ndots:2`, `edns0`, `timeout:1`). */
function checkDnsOption(v: string): string {
  if (v === '' || unsafe.test(v) || v.length > 255) {
    throw invalidParameter(`invalid DNS option ${JSON.stringify(v)}`);
  }
  return v;
}

/**
 * The hostname and domain name end up in /etc/hosts and /etc/hostname: one word each, within
 * the kernel's 64-octet limit for the hostname.
 */
export function checkHostnames(hostname: string, domainname: string): void {
  if (hostname.length > 64 || unsafe.test(hostname)) {
    throw invalidParameter(`invalid hostname format: ${JSON.stringify(hostname)}`);
  }
  if (domainname.length > 255 || unsafe.test(domainname)) {
    throw invalidParameter(`invalid domainname format: ${JSON.stringify(domainname)}`);
  }
}

/** Validates a create request's name options; throws InvalidParameter with Docker's messages. */
export function checkNameOptions(req: {
  hostname?: string;
  domainname?: string;
  dns?: string[];
  dnsSearch?: string[];
  dnsOptions?: string[];
  extraHosts?: string[];
}): NameOptions {
  checkHostnames(req.hostname ?? '', req.domainname ?? '');
  const extraHosts = req.extraHosts ?? [];
  extraHosts.forEach(parseExtraHost);
  return {
    dns: (req.dns ?? []).map(checkDns),
    dnsSearch: (req.dnsSearch ?? []).map(checkDnsSearch),
    dnsOptions: (req.dnsOptions ?? []).map(checkDnsOption),
    extraHosts,
  };
}
