/**
 * Container mounts in the service's own casing: what the user asked for (MountsRequest, from
 * HostConfig.Binds/Mounts/Tmpfs/VolumesFrom and Config.Volumes) and the one resolved list a
 * container stores and starts with (ResolvedMount).
 */

/** One HostConfig.Mounts entry. */
export interface MountSpec {
  type: string;
  source?: string;
  target?: string;
  readOnly?: boolean;
  bindOptions?: { propagation?: string; nonRecursive?: boolean; createMountpoint?: boolean };
  volumeOptions?: {
    noCopy?: boolean;
    labels?: Record<string, string>;
    driverConfig?: { name?: string; options?: Record<string, string> };
    subpath?: string;
  };
  tmpfsOptions?: { sizeBytes?: number; mode?: number };
}

/** Every way a create request can ask for mounts. */
export interface MountsRequest {
  /** `-v` strings: `name:/dst[:mode]`, `/host:/dst[:mode]`, `/dst`. */
  binds?: string[];
  mounts?: MountSpec[];
  /** `--tmpfs`: destination → mount(8) options. */
  tmpfs?: Record<string, string>;
  /** `container[:ro|rw]`. */
  volumesFrom?: string[];
  /** Config.Volumes: destinations that get an anonymous volume unless otherwise mounted. */
  volumes?: string[];
}

/** A mount a container has, resolved and validated. */
export interface ResolvedMount {
  type: 'bind' | 'volume' | 'tmpfs';
  /** Absolute, clean path inside the container. */
  destination: string;
  /** bind: absolute host path; volume: the volume's name; tmpfs: ''. */
  source: string;
  rw: boolean;
  /** Docker's Mode: the option string the user gave with `-v` ('' otherwise). */
  mode: string;
  /** Bind propagation ('rprivate' by default); '' for volumes and tmpfs. */
  propagation: string;
  /** volume: its driver. */
  driver?: string;
  /** volume: do not fill a new empty volume from the image. */
  noCopy?: boolean;
  /** volume: created for this container only (no name given); `rm -v` removes it. */
  anonymous?: boolean;
  /** volume: how to create it when missing (Mounts VolumeOptions). */
  create?: {
    labels?: Record<string, string>;
    driver?: string;
    driverOpts?: Record<string, string>;
  };
  /** bind: create a missing host dir at start (`-v`; `--mount` refuses instead). */
  createSource?: boolean;
  /** bind: `bind` instead of `rbind`. */
  nonRecursive?: boolean;
  /** tmpfs: mount(8) data options (size=, mode=, noexec...). */
  tmpfsOptions?: string[];
}

/** How the containers service uses volumes (implemented by the volumes service). */
export interface VolumeAccess {
  /** Creates the volume unless it exists (no name: anonymous). */
  ensure(req: {
    name?: string;
    driver?: string;
    driverOpts?: Record<string, string>;
    labels?: Record<string, string>;
  }): Promise<{ volume: { name: string; driver: string }; created: boolean }>;
  /** Records that the stored container uses these volumes (they are then "in use"). */
  addRefs(containerId: string, names: readonly string[]): void;
  /** Makes the data available; returns its host path. With `attrs`, a `mount` event is sent. */
  activate(
    name: string,
    containerId: string,
    attrs?: { destination: string; rw: boolean; propagation: string },
  ): Promise<string>;
  /** The container stopped using it (`quiet`: no `unmount` event, for the copy-up). */
  release(name: string, containerId: string, opts?: { quiet?: boolean }): Promise<void>;
  /** Removes it when no container references it (anonymous volumes on `rm -v`). */
  removeIfUnused(name: string): Promise<void>;
  /** The host path of its data (inspect's Mounts[].Source); undefined when it is gone. */
  mountpoint(name: string): string | undefined;
}
