import { isIP } from 'node:net';

/** Where a registry is reached and whether plain HTTP is allowed. */
export interface Endpoint {
  /** The reference domain (`docker.io`, `127.0.0.1:5000`). */
  domain: string;
  /** `https://registry-1.docker.io`, `http://127.0.0.1:5000`. */
  baseUrl: string;
  /** True when TLS is not used. */
  plainHttp: boolean;
}

/** Splits `host[:port]` / `[v6]:port` into the host part, without brackets. */
function hostOf(domain: string): string {
  if (domain.startsWith('[')) return domain.slice(1, domain.indexOf(']'));
  const colon = domain.lastIndexOf(':');
  return colon === -1 ? domain : domain.slice(0, colon);
}

/** True for localhost, 127.0.0.0/8 and ::1: Docker treats these as insecure registries. */
export function isLoopbackDomain(domain: string): boolean {
  const h = hostOf(domain).toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/** True when `domain` matches an `--insecure-registry` entry (`host[:port]` or an IPv4 CIDR). */
export function isInsecure(domain: string, insecure: readonly string[]): boolean {
  if (isLoopbackDomain(domain)) return true;
  const h = hostOf(domain);
  return insecure.some((entry) => {
    if (entry === domain || entry === h) return true;
    const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(entry);
    return m !== null && isIP(h) === 4 && inCidr(h, m[1] as string, Number(m[2]));
  });
}

function ipv4(s: string): number {
  return s.split('.').reduce((a, b) => a * 256 + Number(b), 0);
}

function inCidr(ip: string, net: string, bits: number): boolean {
  if (bits < 0 || bits > 32) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(net) / size);
}

/**
 * The endpoint of a registry domain: docker.io is served by registry-1.docker.io; loopback and
 * insecure registries are spoken to over plain HTTP, all others over HTTPS with the system CAs.
 */
export function endpointOf(domain: string, insecure: readonly string[] = []): Endpoint {
  const host = domain === 'docker.io' ? 'registry-1.docker.io' : domain;
  const plainHttp = isInsecure(domain, insecure);
  return { domain, baseUrl: `${plainHttp ? 'http' : 'https'}://${host}`, plainHttp };
}
