import type { ContainerCreateBody, HostConfig } from '../../../api/index.js';
import { UsageError } from '../../errors.js';
import { parsePublish } from './publish.js';
import { mountFieldsOf, type MountFlags } from '../volume/mount-flags.js';

/** `berth run` flags and arguments, as parsed (`-v`, `--mount`, `--tmpfs`, `--volumes-from` in MountFlags). */
export interface RunOptions extends MountFlags {
  image: string;
  /** Arguments after the image: the container's command. */
  command: string[];
  detach?: boolean;
  rm?: boolean;
  name?: string;
  /** Repeated `-e`: `KEY=value`, or `KEY` to copy the variable from the CLI's environment. */
  env?: string[];
  workdir?: string;
  user?: string;
  /** `--entrypoint`; an empty string clears the image's entrypoint. */
  entrypoint?: string;
  interactive?: boolean;
  tty?: boolean;
  network?: string;
  /** Repeated `-p`, `--expose`; `-P`; `--ip`, `--network-alias`, `--link` (validated by the daemon). */
  publish?: string[];
  expose?: string[];
  publishAll?: boolean;
  ip?: string;
  networkAlias?: string[];
  link?: string[];
  /** The local terminal's [rows, columns], sent as the TTY's initial size with `-t`. */
  consoleSize?: [number, number];
  /** `--detach-keys`: the sequence that detaches from a `-it` container (docker's format). */
  detachKeys?: string;
  /** Repeated `--dns`, `--dns-search`, `--dns-option`, `--add-host` (validated by the daemon). */
  dns?: string[];
  dnsSearch?: string[];
  dnsOption?: string[];
  addHost?: string[];
  hostname?: string;
  domainname?: string;
  /** `--log-driver`, repeated `--log-opt key=value`. */
  logDriver?: string;
  logOpt?: string[];
}

/**
 * One `-e` value, resolved like docker: `K=v` is kept; a bare `K` takes `K`'s value from the
 * CLI's environment, or stays bare (the daemon then leaves `K` unset) when it has none.
 */
export function parseEnvFlag(value: string, environ: Record<string, string | undefined>): string {
  const eq = value.indexOf('=');
  const key = eq === -1 ? value : value.slice(0, eq);
  if (key === '' || /\s/.test(key)) throw new UsageError(`invalid environment variable: ${value}`);
  if (eq !== -1) return value;
  const fromEnv = environ[key];
  return fromEnv === undefined ? key : `${key}=${fromEnv}`;
}

/**
 * The POST /containers/create body for `berth run`. Pure: the CLI's environment (for bare
 * `-e KEY`) is a parameter. Attached runs ask for stdout/stderr (and stdin with -i, closed after
 * the first attach ends, as docker's StdinOnce).
 */
export function runOptionsToCreateBody(
  opts: RunOptions,
  environ: Record<string, string | undefined> = {},
): ContainerCreateBody {
  if (opts.image === '') throw new UsageError('image name cannot be empty');
  const attached = opts.detach !== true;
  const interactive = opts.interactive === true;
  const tty = opts.tty === true;
  const body: ContainerCreateBody = {
    Image: opts.image,
    Tty: tty,
    OpenStdin: interactive,
    StdinOnce: interactive && attached,
    AttachStdin: interactive && attached,
    AttachStdout: attached,
    AttachStderr: attached,
  };
  if (opts.command.length > 0) body.Cmd = [...opts.command];
  if (opts.entrypoint !== undefined) body.Entrypoint = [opts.entrypoint];
  const env = (opts.env ?? []).map((e) => parseEnvFlag(e, environ));
  if (env.length > 0) body.Env = env;
  if (opts.workdir !== undefined) body.WorkingDir = opts.workdir;
  if (opts.user !== undefined) body.User = opts.user;
  if (opts.hostname !== undefined) body.Hostname = opts.hostname;
  if (opts.domainname !== undefined) body.Domainname = opts.domainname;
  const host: HostConfig = {};
  if (opts.rm === true) host.AutoRemove = true;
  if (opts.network !== undefined) host.NetworkMode = opts.network;
  Object.assign(body, networkingOf(opts, host));
  if (opts.dns?.length) host.Dns = [...opts.dns];
  if (opts.dnsSearch?.length) host.DnsSearch = [...opts.dnsSearch];
  if (opts.dnsOption?.length) host.DnsOptions = [...opts.dnsOption];
  if (opts.addHost?.length) host.ExtraHosts = [...opts.addHost];
  if (tty && opts.consoleSize !== undefined) host.ConsoleSize = [...opts.consoleSize];
  if (opts.logDriver !== undefined || opts.logOpt?.length) host.LogConfig = logConfigOf(opts);
  const mounts = mountFieldsOf(opts);
  Object.assign(host, mounts.host);
  if (mounts.volumes) body.Volumes = mounts.volumes;
  body.HostConfig = host;
  return body;
}

/**
 * -p/--expose/-P into ExposedPorts and HostConfig (PortBindings, PublishAllPorts, Links), and
 * --ip/--network-alias into the EndpointsConfig of the `--network` network (the default bridge's
 * name when none was given, where the daemon refuses them as Docker does).
 */
function networkingOf(opts: RunOptions, host: HostConfig): Partial<ContainerCreateBody> {
  const ports = parsePublish(opts.publish ?? [], opts.expose ?? []);
  if (Object.keys(ports.bindings).length > 0) host.PortBindings = ports.bindings;
  if (opts.publishAll === true) host.PublishAllPorts = true;
  if (opts.link?.length) host.Links = opts.link.map((l) => (l.includes(':') ? l : `${l}:${l}`));
  const out: Partial<ContainerCreateBody> = {};
  if (Object.keys(ports.exposed).length > 0) out.ExposedPorts = ports.exposed;
  if (opts.ip !== undefined || opts.networkAlias?.length) {
    const endpoint = {
      ...(opts.ip !== undefined ? { IPAMConfig: { IPv4Address: opts.ip } } : {}),
      ...(opts.networkAlias?.length ? { Aliases: [...opts.networkAlias] } : {}),
    };
    out.NetworkingConfig = { EndpointsConfig: { [opts.network ?? 'default']: endpoint } };
  }
  return out;
}

/** `--log-driver` and `--log-opt key=value` as HostConfig.LogConfig (checked by the daemon). */
function logConfigOf(opts: RunOptions): NonNullable<HostConfig['LogConfig']> {
  const config: Record<string, string> = {};
  for (const o of opts.logOpt ?? []) {
    const eq = o.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid key value pair format in log options: ${o}`);
    config[o.slice(0, eq)] = o.slice(eq + 1);
  }
  type Driver = NonNullable<NonNullable<HostConfig['LogConfig']>['Type']>;
  const type = opts.logDriver as Driver | undefined; // any name: the daemon knows its drivers
  return { ...(type ? { Type: type } : {}), Config: config };
}

/** `busybox` → `busybox:latest`: how docker names an image it could not find. */
export function withDefaultTag(image: string): string {
  if (image.includes('@')) return image;
  const lastSlash = image.lastIndexOf('/');
  return image.indexOf(':', lastSlash + 1) === -1 ? `${image}:latest` : image;
}
