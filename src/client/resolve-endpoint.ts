import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Endpoint, EndpointTls } from './endpoint.js';
import { DEFAULT_SOCKET_PATH, socketPathOfHost } from './host.js';

/** The docker CLI's TLS flags; each overrides its environment default. */
export interface TlsFlags {
  /** `--tls`: TLS without checking the daemon's certificate. */
  tls?: boolean | undefined;
  /** `--tlsverify`: TLS, and the daemon's certificate must chain to the CA. */
  tlsverify?: boolean | undefined;
  tlscacert?: string | undefined;
  tlscert?: string | undefined;
  tlskey?: string | undefined;
}

/** Inputs of {@link resolveEndpoint}. */
export interface EndpointOptions extends TlsFlags {
  /** `-H`; wins over `BERTH_HOST` and `DOCKER_HOST`. */
  host?: string | undefined;
  env?: Record<string, string | undefined>;
}

/**
 * The daemon endpoint the docker CLI would dial: host from `-H`, `BERTH_HOST`, `DOCKER_HOST`, or
 * the default socket; for `tcp://` hosts TLS from the flags, `DOCKER_TLS_VERIFY` / `DOCKER_TLS`
 * and the files in `DOCKER_CERT_PATH` (default `~/.docker`: ca.pem, cert.pem, key.pem).
 * Throws on a malformed host or an explicitly named certificate file that cannot be read.
 */
export function resolveEndpoint(opts: EndpointOptions = {}): Endpoint {
  const env = opts.env ?? {};
  const host = nonEmpty(opts.host) ?? nonEmpty(env['BERTH_HOST']) ?? nonEmpty(env['DOCKER_HOST']);
  if (host === undefined) return { kind: 'unix', socketPath: DEFAULT_SOCKET_PATH };
  if (!host.startsWith('tcp://')) return { kind: 'unix', socketPath: socketPathOfHost(host) };
  const verify = opts.tlsverify ?? nonEmpty(env['DOCKER_TLS_VERIFY']) !== undefined;
  const useTls = verify || (opts.tls ?? nonEmpty(env['DOCKER_TLS']) !== undefined);
  const { hostname, port } = parseTcpHost(host, useTls ? 2376 : 2375);
  if (!useTls) return { kind: 'tcp', host: hostname, port };
  return { kind: 'tcp', host: hostname, port, tls: loadTls(opts, env, verify) };
}

/** Splits `tcp://host[:port]` (IPv6 in brackets); rejects paths, users and bad ports. */
export function parseTcpHost(
  host: string,
  defaultPort: number,
): { hostname: string; port: number } {
  const rest = host.slice('tcp://'.length).replace(/\/$/, '');
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:/@[\]]+)(?::(\d{1,5}))?$/.exec(rest);
  const port = m?.[2] === undefined ? defaultPort : Number(m[2]);
  if (m === null || port < 1 || port > 65535) {
    throw new Error(`invalid host ${JSON.stringify(host)}: expected tcp://host[:port]`);
  }
  const name = m[1] ?? '';
  return { hostname: name.startsWith('[') ? name.slice(1, -1) : name, port };
}

function loadTls(
  flags: TlsFlags,
  env: Record<string, string | undefined>,
  verify: boolean,
): EndpointTls {
  const dir = nonEmpty(env['DOCKER_CERT_PATH']) ?? join(env['HOME'] ?? homedir(), '.docker');
  // A file named on the command line must exist; a default one is used only when present.
  const read = (flag: string | undefined, name: string): Buffer | undefined => {
    if (flag !== undefined) return readPem(flag);
    const path = join(dir, name);
    return existsSync(path) ? readPem(path) : undefined;
  };
  const ca = verify ? read(flags.tlscacert, 'ca.pem') : undefined;
  if (verify && ca === undefined) {
    throw new Error(`--tlsverify needs a CA certificate: none at ${join(dir, 'ca.pem')}`);
  }
  const cert = read(flags.tlscert, 'cert.pem');
  const key = read(flags.tlskey, 'key.pem');
  if ((cert === undefined) !== (key === undefined)) {
    throw new Error('a client certificate needs its key (and a key its certificate)');
  }
  return {
    verify,
    ...(ca !== undefined ? { ca } : {}),
    ...(cert !== undefined ? { cert } : {}),
    ...(key !== undefined ? { key } : {}),
  };
}

function readPem(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new Error(`could not read ${path}: ${(e as Error).message}`, { cause: e });
  }
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}
