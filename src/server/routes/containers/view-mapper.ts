import type {
  ContainerInspectResponse,
  ContainerSummary,
  Health,
  HealthConfig,
  HostConfig,
} from '../../../api/index.js';
import { humanDuration } from '../../../lib/human-duration.js';
import { noResources, type ContainerResources } from '../../../services/containers/resources.js';
import type { Container } from '../../../services/containers/types.js';
import { DEFAULT_LOG_CONFIG } from '../../../services/containers/log-config.js';
import { securityHostConfigOf } from './security-mapper.js';
import { configVolumesOf, mountPointsOf, mountsHostConfigOf } from '../volumes/mounts-mapper.js';
import { networkSettingsOf, portSummaryOf } from './network-mapper.js';

/** HostConfig.PortBindings as the user gave them. */
function portBindingsOf(
  b: Record<string, { hostIp: string; hostPort: string }[]> | undefined,
): NonNullable<HostConfig['PortBindings']> {
  const out: NonNullable<HostConfig['PortBindings']> = {};
  for (const [k, list] of Object.entries(b ?? {}))
    out[k] = list.map((x) => ({ HostIp: x.hostIp, HostPort: x.hostPort }));
  return out;
}

/** Docker echoes a link as `/<target>:/<container>/<alias>`. */
function linkOf(link: string, name: string): string {
  const [target = '', alias = target] = link.split(':');
  return `/${target}:/${name}/${alias}`;
}

const zeroTime = '0001-01-01T00:00:00Z';

/** Docker's HostConfig resource fields (PidsLimit null when unlimited, as dockerd sends it). */
function resourcesView(r: ContainerResources | undefined) {
  const v = r ?? noResources;
  return {
    Memory: v.memory,
    MemorySwap: v.memorySwap,
    MemoryReservation: v.memoryReservation,
    NanoCpus: v.nanoCpus,
    CpuShares: v.cpuShares,
    CpuQuota: v.cpuQuota,
    CpuPeriod: v.cpuPeriod,
    CpusetCpus: v.cpusetCpus,
    CpusetMems: v.cpusetMems,
    ...(v.pidsLimit > 0 ? { PidsLimit: v.pidsLimit } : {}),
    OomKillDisable: v.oomKillDisable,
    // Left out when unset (Docker shows null, which the spec's type has no room for).
    ...(v.memorySwappiness >= 0 ? { MemorySwappiness: v.memorySwappiness } : {}),
    ...isolationView(v),
  };
}

/** Docker's HostConfig device, cgroup-parent and block I/O fields, echoed as given. */
function isolationView(r: ContainerResources) {
  const v = { ...noResources, ...r }; // rows stored before these fields existed lack them
  const throttle = (l: { path: string; rate: number }[]) =>
    l.map((t) => ({ Path: t.path, Rate: t.rate }));
  return {
    CgroupParent: v.cgroupParent,
    BlkioWeight: v.blkioWeight,
    BlkioWeightDevice: v.blkioWeightDevice.map((w) => ({ Path: w.path, Weight: w.weight })),
    BlkioDeviceReadBps: throttle(v.blkioDeviceReadBps),
    BlkioDeviceWriteBps: throttle(v.blkioDeviceWriteBps),
    BlkioDeviceReadIOps: throttle(v.blkioDeviceReadIOps),
    BlkioDeviceWriteIOps: throttle(v.blkioDeviceWriteIOps),
    Devices: v.devices.map((d) => ({
      PathOnHost: d.pathOnHost,
      PathInContainer: d.pathInContainer,
      CgroupPermissions: d.cgroupPermissions,
    })),
    // Docker sends null when empty; the spec types the field as a list, so it is left out.
    ...(v.deviceCgroupRules.length > 0 ? { DeviceCgroupRules: v.deviceCgroupRules } : {}),
  };
}

/** The log driver as Docker names it (older rows: the default json-file, see log-config.ts). */
function logConfigView(c: Container): NonNullable<HostConfig['LogConfig']> {
  const lc = c.config.logConfig ?? DEFAULT_LOG_CONFIG;
  return { Type: lc.type, Config: { ...lc.config } };
}

/** Docker's one-line status: "Up 5 seconds", "Exited (0) 3 minutes ago", "Created". */
export function statusText(c: Container, now = Date.now()): string {
  const s = c.state;
  switch (s.status) {
    case 'running':
      return `Up ${humanDuration(now - Date.parse(s.startedAt ?? c.createdAt))}${healthSuffix(c)}`;
    case 'paused':
      return `Up ${humanDuration(now - Date.parse(s.startedAt ?? c.createdAt))} (Paused)`;
    case 'exited':
      return s.finishedAt
        ? `Exited (${s.exitCode}) ${humanDuration(now - Date.parse(s.finishedAt))} ago`
        : 'Exited';
    case 'restarting':
      return s.finishedAt
        ? `Restarting (${s.exitCode}) ${humanDuration(now - Date.parse(s.finishedAt))} ago`
        : 'Restarting';
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
    default:
      return 'Created';
  }
}

/** ` (healthy)`, ` (unhealthy)`, ` (health: starting)` after a running container's uptime. */
function healthSuffix(c: Container): string {
  if (!c.health) return '';
  return c.health.status === 'starting' ? ' (health: starting)' : ` (${c.health.status})`;
}

/** `State.Health` (absent without a health check, as Docker omits it). */
function healthOf(c: Container): { Health?: Health } {
  const h = c.health;
  if (!h) return {};
  return {
    Health: {
      Status: h.status,
      FailingStreak: h.failingStreak,
      Log: h.log.map((r) => ({
        Start: r.start,
        End: r.end,
        ExitCode: r.exitCode,
        Output: r.output,
      })),
    },
  };
}

/** `Config.Healthcheck` as Docker echoes it: the test, and the durations and retries that are set. */
function healthConfigOf(c: Container): { Healthcheck?: HealthConfig } {
  const h = c.config.healthcheck;
  if (!h) return {};
  const out: HealthConfig = { Test: h.test };
  if (h.intervalNs) out.Interval = h.intervalNs;
  if (h.timeoutNs) out.Timeout = h.timeoutNs;
  if (h.startPeriodNs) out.StartPeriod = h.startPeriodNs;
  if (h.startIntervalNs) out.StartInterval = h.startIntervalNs;
  if (h.retries) out.Retries = h.retries;
  return { Healthcheck: out };
}

/** The process a container runs: Docker's Path and Args. */
function pathAndArgs(c: Container): { path: string; args: string[] } {
  const argv = [...c.config.entrypoint, ...c.config.cmd];
  return { path: argv[0] ?? '', args: argv.slice(1) };
}

const networkMode = (c: Container): string =>
  c.config.networkMode === 'default' ? 'bridge' : c.config.networkMode;

/** Docker's SizeRw/SizeRootFs fields, present only when the client asked with `size=1`. */
export interface SizeFields {
  sizeRw: number;
  sizeRootFs: number;
}
const sizeView = (size?: SizeFields): { SizeRw?: number; SizeRootFs?: number } =>
  size ? { SizeRw: size.sizeRw, SizeRootFs: size.sizeRootFs } : {};

/** GET /containers/json item; `size` with `size=1`. */
export function toSummary(c: Container, size?: SizeFields): ContainerSummary {
  const { path, args } = pathAndArgs(c);
  return {
    Id: c.id,
    Names: [`/${c.name}`],
    Image: c.imageRef,
    ImageID: c.imageId,
    Command: [path, ...args.map((a) => (a.includes(' ') ? `'${a}'` : a))].join(' '),
    Created: Math.floor(Date.parse(c.createdAt) / 1000),
    Ports: portSummaryOf(c.network),
    Labels: c.config.labels,
    State: c.state.status,
    Status: statusText(c),
    HostConfig: { NetworkMode: networkMode(c) },
    NetworkSettings: { Networks: networkSettingsOf(c.network).Networks ?? {} },
    Mounts: mountPointsOf(c),
    ...sizeView(size),
  };
}

/** GET /containers/{id}/json. */
export function toInspect(
  c: Container,
  graphDriverData: Record<string, string>,
  size?: SizeFields,
): ContainerInspectResponse {
  const s = c.state;
  const cfg = c.config;
  const { path, args } = pathAndArgs(c);
  return {
    Id: c.id,
    Created: c.createdAt,
    Path: path,
    Args: args,
    State: {
      Status: s.status,
      Running: s.status === 'running' || s.status === 'paused' || s.status === 'restarting',
      Paused: s.status === 'paused',
      Restarting: s.status === 'restarting',
      OOMKilled: s.oomKilled,
      Dead: s.status === 'dead',
      Pid: s.pid,
      ExitCode: s.exitCode,
      Error: s.error,
      StartedAt: s.startedAt ?? zeroTime,
      FinishedAt: s.finishedAt ?? zeroTime,
      ...healthOf(c),
    },
    Image: c.imageId,
    ResolvConfPath: c.paths.resolvConfPath,
    HostnamePath: c.paths.hostnamePath,
    HostsPath: c.paths.hostsPath,
    LogPath: c.paths.logPath,
    Name: `/${c.name}`,
    RestartCount: s.restartCount,
    Driver: 'overlay',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: c.execIds && c.execIds.length > 0 ? c.execIds : null,
    HostConfig: {
      NetworkMode: networkMode(c),
      AutoRemove: cfg.autoRemove,
      Init: cfg.init,
      RestartPolicy: {
        Name: cfg.restartPolicy.name as 'no',
        MaximumRetryCount: cfg.restartPolicy.maximumRetryCount,
      },
      ShmSize: cfg.shmSize,
      LogConfig: logConfigView(c),
      ...(c.config.annotations ? { Annotations: { ...c.config.annotations } } : {}),
      ...securityHostConfigOf(cfg.security),
      ...mountsHostConfigOf(c),
      PortBindings: portBindingsOf(cfg.ports?.bindings),
      PublishAllPorts: cfg.ports?.publishAll ?? false,
      ...(cfg.links && cfg.links.length > 0
        ? { Links: cfg.links.map((l) => linkOf(l, c.name)) }
        : {}),
      Dns: cfg.dns ?? [],
      DnsOptions: cfg.dnsOptions ?? [],
      DnsSearch: cfg.dnsSearch ?? [],
      ExtraHosts: cfg.extraHosts ?? [],
      ConsoleSize: cfg.consoleSize ?? [0, 0],
      Runtime: 'runc',
      ...resourcesView(cfg.resources),
    },
    GraphDriver: { Name: 'overlay', Data: graphDriverData },
    ...sizeView(size),
    Mounts: mountPointsOf(c),
    Config: {
      Hostname: cfg.hostname || c.id.slice(0, 12),
      Domainname: cfg.domainname,
      User: cfg.user,
      AttachStdin: cfg.attachStdin,
      AttachStdout: cfg.attachStdout,
      AttachStderr: cfg.attachStderr,
      Tty: cfg.tty,
      OpenStdin: cfg.openStdin,
      StdinOnce: cfg.stdinOnce,
      Env: cfg.env,
      Cmd: cfg.cmd,
      Image: c.imageRef,
      WorkingDir: cfg.workingDir,
      ...configVolumesOf(c),
      Entrypoint: cfg.entrypoint,
      Labels: cfg.labels,
      ...(cfg.ports && cfg.ports.exposed.length > 0
        ? { ExposedPorts: Object.fromEntries(cfg.ports.exposed.map((p) => [p, {}])) }
        : {}),
      StopSignal: cfg.stopSignal,
      ...healthConfigOf(c),
      ...(cfg.stopTimeout !== null ? { StopTimeout: cfg.stopTimeout } : {}),
    },
    NetworkSettings: networkSettingsOf(c.network),
  };
}
