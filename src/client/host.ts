/** Where berthd listens unless told otherwise. */
export const DEFAULT_SOCKET_PATH = '/run/berth/berth.sock';

/** Inputs for {@link resolveSocketPath}; all optional. */
export interface HostOptions {
  /** An explicit host (the CLI's `-H`), e.g. `unix:///run/berth/berth.sock`. Wins over env. */
  host?: string | undefined;
  /** Environment to read `BERTH_HOST` then `DOCKER_HOST` from. */
  env?: Record<string, string | undefined>;
}

/**
 * The unix socket path to dial. Precedence: explicit host, `BERTH_HOST`, `DOCKER_HOST`, default.
 * Only `unix://` hosts (or a bare absolute path) are supported; anything else throws.
 */
export function resolveSocketPath(opts: HostOptions = {}): string {
  const env = opts.env ?? {};
  const host = nonEmpty(opts.host) ?? nonEmpty(env['BERTH_HOST']) ?? nonEmpty(env['DOCKER_HOST']);
  return host === undefined ? DEFAULT_SOCKET_PATH : socketPathOfHost(host);
}

/** Parses `unix:///path` (or `/path`) into `/path`; rejects other schemes and relative paths. */
export function socketPathOfHost(host: string): string {
  const path = host.startsWith('unix://') ? host.slice('unix://'.length) : host;
  if (!path.startsWith('/')) {
    throw new Error(
      `unsupported host ${JSON.stringify(host)}: only unix:///absolute/path is supported`,
    );
  }
  if (path.includes('\0')) throw new Error('invalid host: contains a NUL byte');
  return path;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}
