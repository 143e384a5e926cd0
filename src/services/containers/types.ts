import type { ContainerResources } from './resources.js';
/**
 * The containers service's own model. The HTTP edge maps Docker's wire types to and from these;
 * nothing here knows about HTTP or the Engine API's casing.
 */

import type { HealthConfig } from './health/config.js';
import type { LogConfig, LogConfigRequest } from './log-config.js';
import type { HealthState } from './health/state-machine.js';
import type { SecurityConfig, SecurityRequest } from './security-options.js';
import type { MountsRequest, ResolvedMount } from './mounts/types.js';
import type { NetworkSettingsView, PortsConfig } from '../networks/types.js';

/** What the user asked for, before the image's defaults are applied. */
export interface CreateContainerRequest {
  name?: string;
  image: string;
  cmd?: string[];
  entrypoint?: string[];
  env?: string[];
  workingDir?: string;
  user?: string;
  hostname?: string;
  domainname?: string;
  /** --dns, --dns-search, --dns-option, --add-host (see name-options.ts for the formats). */
  dns?: string[];
  dnsSearch?: string[];
  dnsOptions?: string[];
  extraHosts?: string[];
  labels?: Record<string, string>;
  tty?: boolean;
  openStdin?: boolean;
  stdinOnce?: boolean;
  attachStdin?: boolean;
  attachStdout?: boolean;
  attachStderr?: boolean;
  stopSignal?: string;
  stopTimeout?: number;
  autoRemove?: boolean;
  /** Run an init process (tini) as PID 1 that reaps zombies and forwards signals. */
  init?: boolean;
  networkMode?: string;
  /** NetworkingConfig.EndpointsConfig by network name or id (static IPv4, aliases). */
  endpoints?: Record<string, { ipv4?: string; aliases?: string[]; mac?: string }>;
  /** ExposedPorts, PortBindings and PublishAllPorts (`<port>/<proto>` keys). */
  ports?: PortsConfig;
  /** Legacy links `<container>[:<alias>]` (default bridge). */
  links?: string[];
  restartPolicy?: { name: string; maximumRetryCount: number };
  shmSize?: number;
  consoleSize?: [number, number];
  /** Resource limits (0 = unset), Docker's units. */
  resources?: Partial<ContainerResources>;
  /** `Healthcheck`: merged over the image's HEALTHCHECK (see health/config.ts). */
  healthcheck?: HealthConfig;
  /** --privileged, --cap-add/drop, --security-opt, --read-only, --ulimit, --sysctl, --pid/ipc/uts… */
  security?: SecurityRequest;
  /** Binds, Mounts, Tmpfs, VolumesFrom and Config.Volumes (see mounts/plan.ts). */
  mounts?: MountsRequest;
  /** HostConfig.LogConfig (see log-config.ts). */
  logConfig?: LogConfigRequest;
  /** HostConfig.Annotations: handed to the runtime in the OCI spec. */
  annotations?: Record<string, string>;
}

/** The stored, fully resolved configuration of a container (image defaults merged in). */
export interface ContainerConfig {
  /** The command line the container runs: entrypoint followed by cmd. */
  entrypoint: string[];
  cmd: string[];
  env: string[];
  workingDir: string;
  user: string;
  hostname: string;
  domainname: string;
  /** Validated name options; absent in rows stored before they existed ([] then). */
  dns?: string[];
  dnsSearch?: string[];
  dnsOptions?: string[];
  extraHosts?: string[];
  labels: Record<string, string>;
  tty: boolean;
  openStdin: boolean;
  stdinOnce: boolean;
  attachStdin: boolean;
  attachStdout: boolean;
  attachStderr: boolean;
  stopSignal: string;
  stopTimeout: number | null;
  autoRemove: boolean;
  init: boolean;
  networkMode: string;
  /** Exposed and published ports; absent in rows stored before networking. */
  ports?: PortsConfig;
  /** Legacy links; absent in older rows. */
  links?: string[];
  restartPolicy: { name: string; maximumRetryCount: number };
  shmSize: number;
  consoleSize: [number, number] | null;
  /** Resource limits; absent in containers stored before limits existed. */
  resources?: ContainerResources;
  /** Chain ids of the image's layers, bottom first: the container's rootfs lower layers. */
  layers: string[];
  /** The health check after the image merge; null or absent (older rows) when none. */
  healthcheck?: HealthConfig | null;
  /** The validated security options; absent in older rows (Docker's defaults). */
  security?: SecurityConfig;
  /** Every mount (volumes, binds, tmpfs), resolved at create; absent in older rows. */
  mounts?: ResolvedMount[];
  /** The mount options as the user gave them, echoed in inspect's HostConfig and Config. */
  mountsRequest?: MountsRequest;
  /** The validated log driver; absent in older rows (json-file, no options). */
  logConfig?: LogConfig;
  /** OCI annotations for the runtime; absent when none were given. */
  annotations?: Record<string, string>;
}

/** The lifecycle states of a container (see state.ts for the allowed transitions). */
export type ContainerStatus =
  'created' | 'running' | 'paused' | 'restarting' | 'exited' | 'dead' | 'removing';

/** A container as the service hands it out. */
export interface Container {
  id: string;
  name: string;
  imageId: string;
  imageRef: string;
  createdAt: string;
  config: ContainerConfig;
  state: {
    status: ContainerStatus;
    pid: number;
    exitCode: number;
    error: string;
    oomKilled: boolean;
    startedAt: string | null;
    finishedAt: string | null;
    restartCount: number;
  };
  /** `State.Health`: present while the container has a health check that ran since its start. */
  health?: HealthState;
  /** Host paths the edge reports in inspect. */
  paths: { logPath: string; hostnamePath: string; hostsPath: string; resolvConfPath: string };
  /** Ids of the container's running execs (inspect only). */
  execIds?: string[];
  /** Host paths of its volumes by volume name (inspect only: Mounts[].Source). */
  volumePaths?: Record<string, string>;
  /** NetworkSettings (inspect and list only; absent when the engine has no networking). */
  network?: NetworkSettingsView;
}

/** The conditions of POST /containers/{id}/wait. */
export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

/** The outcome of a wait. */
export interface WaitResult {
  statusCode: number;
  error?: string;
}
