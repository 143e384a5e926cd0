import type { ContainersRepository } from '../../store/metadata/containers-repository.js';
import type { Snapshotter } from '../../drivers/snapshot/snapshotter.js';
import type { OciRuntime } from '../../drivers/runtime/runtime.js';
import type { EventBus } from '../../events/event-bus.js';
import type { HostLimits } from '../../oci/host-limits.js';
import type { ContainerConfig } from './types.js';
import type { HealthConfig } from './health/config.js';

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
  /** A static init binary (tini-static or catatonit) for `--init`; undefined when none. */
  initPath: string | undefined;
  log: (msg: string) => void;
}
