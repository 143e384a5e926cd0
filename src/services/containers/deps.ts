import type { ContainersRepository } from '../../store/metadata/containers-repository.js';
import type { Snapshotter } from '../../drivers/snapshot/snapshotter.js';
import type { OciRuntime } from '../../drivers/runtime/runtime.js';
import type { EventBus } from '../../events/event-bus.js';
import type { HostLimits } from '../../oci/host-limits.js';
import type { ContainerConfig } from './types.js';
import type { UsernsSettings } from './userns.js';
import type { HealthConfig } from './health/config.js';
import type { VolumeAccess } from './mounts/types.js';
import type {
  ContainerNetworkRequest,
  NetworkSettingsView,
  NetworkSetup,
  PendingNetwork,
  PortsConfig,
  PreparedNetwork,
} from '../networks/types.js';

/**
 * What the containers service needs of networking (implemented by the networks service). `plan`
 * runs at create once the row exists; `setUp` at start and `tearDown` at every exit, both under
 * the container's lock; `tearDown` is idempotent.
 */
export interface ContainerNetworking {
  checkPorts(p: PortsConfig): PortsConfig;
  plan(containerId: string, req: ContainerNetworkRequest, ports: PortsConfig): void;
  setUp(c: {
    id: string;
    networkMode: string;
    ports: PortsConfig;
    links: string[];
  }): Promise<NetworkSetup>;
  /**
   * Two-phase set-up for a container whose netns runc creates inside its user namespace:
   * `prepare` checks and reserves ports (a `pending` result asks for a new netns), `attachToPid`
   * attaches it once the runtime created the init. Absent: setUp is used.
   */
  prepare?(c: {
    id: string;
    networkMode: string;
    ports: PortsConfig;
    links: string[];
  }): Promise<PreparedNetwork>;
  attachToPid?(pending: PendingNetwork, pid: number): Promise<NetworkSetup>;
  tearDown(id: string): Promise<void>;
  settings(c: {
    id: string;
    name: string;
    hostname: string;
    networkMode: string;
    ports: PortsConfig;
  }): NetworkSettingsView;
}

/** The parts of an image a container needs. */
export interface ResolvedImage {
  id: string;
  /** Chain ids, bottom first. */
  layers: string[];
  config: {
    env: string[];
    cmd: string[];
    entrypoint: string[];
    workingDir: string;
    user: string;
    stopSignal: string;
    labels: Record<string, string>;
    /** The image's HEALTHCHECK; null or absent when it has none. */
    healthcheck?: HealthConfig | null;
    /** The image's VOLUME destinations; absent when it has none. */
    volumes?: string[];
    /** The image's EXPOSE ports (`80/tcp`), published by `-P`; absent = none. */
    exposedPorts?: string[];
  };
}

/** How the containers service finds images (implemented by the images service). */
export interface ImageLookup {
  /** Throws NotFound `No such image: <ref>`. */
  resolve(ref: string): Promise<ResolvedImage>;
}

/** Where a container's files live. */
export interface ContainerPaths {
  /** Persistent: log, hostname, hosts, resolv.conf. */
  containerDir(id: string): string;
  /** Runtime state: config.json and conmon's sockets (on /run). */
  bundleDir(id: string): string;
  /** conmon's exit dir, shared by all containers. */
  exitDir: string;
}

/** Everything the containers service is built from; the daemon wires it. */
export interface ContainerDeps {
  repo: ContainersRepository<ContainerConfig>;
  images: ImageLookup;
  snapshotter: Snapshotter;
  runtime: OciRuntime;
  events: EventBus;
  paths: ContainerPaths;
  host: { limits: HostLimits; kernel: { major: number; minor: number } };
  /** Absolute cgroup parent for every container, e.g. /berth. */
  cgroupParent: string;
  /** Set on a `--userns-remap` daemon: containers run in a user namespace with these ids. */
  userns?: UsernsSettings;
  /** A static init binary (tini-static or catatonit) for `--init`; undefined when none. */
  initPath: string | undefined;
  /** Container networking (the networks service); absent in unit tests: loopback only. */
  networking?: ContainerNetworking;
  /** Volumes (the volumes service); absent in unit tests: a request for a volume fails. */
  volumes?: VolumeAccess;
  log: (msg: string) => void;
}
