import { readFile } from 'node:fs/promises';
import type { TlsOptions } from 'node:tls';
import { invalidParameter } from '../errors/index.js';

/** berthd's `--tls*` flags, as dockerd's. */
export interface DaemonTlsFlags {
  /** `--tls`: serve TCP over TLS without asking for client certificates. */
  tls: boolean;
  /** `--tlsverify`: TLS, and every client must present a certificate signed by `--tlscacert`. */
  tlsverify: boolean;
  tlscacert?: string | undefined;
  tlscert?: string | undefined;
  tlskey?: string | undefined;
  /** `--insecure-tcp`: allow TCP without TLS (anyone who reaches the port is root here). */
  insecureTcp: boolean;
}

/** How TCP listeners are secured: TLS file paths, or plain TCP that the operator accepted. */
export type TcpSecurity =
  | { kind: 'tls'; verifyClients: boolean; caPath?: string; certPath: string; keyPath: string }
  | { kind: 'insecure' };

/**
 * Checks the flags for TCP hosts and says how to secure them. Plain TCP is refused unless
 * `--insecure-tcp` is given: an unauthenticated Engine API is a root shell for anyone.
 */
export function tcpSecurity(flags: DaemonTlsFlags, tcpHosts: readonly string[]): TcpSecurity {
  const useTls = flags.tls || flags.tlsverify;
  if (!useTls) {
    if (tcpHosts.length > 0 && !flags.insecureTcp) {
      throw invalidParameter(
        `refusing to listen on ${tcpHosts.join(', ')} without TLS: anyone who can reach it ` +
          'gets root on this host. Use --tlsverify with --tlscacert, --tlscert and --tlskey ' +
          '(or --tls), or pass --insecure-tcp to accept the risk',
      );
    }
    return { kind: 'insecure' };
  }
  if (flags.tlscert === undefined || flags.tlskey === undefined) {
    throw invalidParameter('--tls and --tlsverify need --tlscert and --tlskey');
  }
  if (flags.tlsverify && flags.tlscacert === undefined) {
    throw invalidParameter('--tlsverify needs --tlscacert (the CA that signs client certificates)');
  }
  return {
    kind: 'tls',
    verifyClients: flags.tlsverify,
    certPath: flags.tlscert,
    keyPath: flags.tlskey,
    ...(flags.tlsverify && flags.tlscacert !== undefined ? { caPath: flags.tlscacert } : {}),
  };
}

/**
 * Reads the certificate files into Node's TLS server options: TLS 1.2 or newer, and with client
 * verification every connection without a certificate chaining to the CA is refused during
 * the handshake (before any HTTP is read).
 */
export async function loadTlsServerOptions(
  sec: Extract<TcpSecurity, { kind: 'tls' }>,
): Promise<TlsOptions> {
  const read = async (what: string, path: string): Promise<Buffer> => {
    try {
      return await readFile(path);
    } catch (e) {
      throw invalidParameter(`could not read the TLS ${what} ${path}: ${(e as Error).message}`);
    }
  };
  const [cert, key, ca] = await Promise.all([
    read('certificate', sec.certPath),
    read('key', sec.keyPath),
    sec.caPath === undefined ? undefined : read('CA certificate', sec.caPath),
  ]);
  return {
    cert,
    key,
    minVersion: 'TLSv1.2',
    requestCert: sec.verifyClients,
    rejectUnauthorized: sec.verifyClients,
    ...(ca !== undefined ? { ca } : {}),
  };
}
