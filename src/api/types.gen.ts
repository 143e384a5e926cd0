// generated from swagger.yaml v1.56 by scripts/gen-api.ts — do not edit

// ---- definitions ----

/** individual image layer information in response to ImageHistory operation */
export interface ImageHistoryResponseItem {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[];
  Size: number;
  Comment: string;
}

/** Describes a port-mapping between the container and the host. */
export interface PortSummary {
  /** Host IP address that the container's port is mapped to */
  IP?: string;
  /** Port on the container */
  PrivatePort: number;
  /** Port exposed on the host */
  PublicPort?: number;
  Type: "tcp" | "udp" | "sctp";
}

/** The mount type. Available types: */
export type MountType = "bind" | "cluster" | "image" | "npipe" | "tmpfs" | "volume";

/**
 * MountPoint represents a mount point configuration inside the container.
 * This is used for reporting the mountpoints in use by a container.
 */
export interface MountPoint {
  /** The mount type: */
  Type?: MountType;
  /**
   * Name is the name reference to the underlying data defined by `Source`
   * e.g., the volume name.
   */
  Name?: string;
  /** Source location of the mount. */
  Source?: string;
  /**
   * Destination is the path relative to the container root (`/`) where
   * the `Source` is mounted inside the container.
   */
  Destination?: string;
  /** Driver is the volume driver used to create the volume (if it is a volume). */
  Driver?: string;
  /**
   * Mode is a comma separated list of options supplied by the user when
   * creating the bind/volume mount.
   */
  Mode?: string;
  /** Whether the mount is mounted writable (read-write). */
  RW?: boolean;
  /**
   * Propagation describes how mounts are propagated from the host into the
   * mount point, and vice-versa. Refer to the [Linux kernel documentation](https://www.kernel.org/doc/Documentation/filesystems/sharedsubtree.txt)
   * for details. This field is not used on Windows.
   */
  Propagation?: string;
}

/** A device mapping between the host and container */
export interface DeviceMapping {
  PathOnHost?: string;
  PathInContainer?: string;
  CgroupPermissions?: string;
}

/** A request for devices to be sent to device drivers */
export interface DeviceRequest {
  /** The name of the device driver to use for this request. */
  Driver?: string;
  Count?: number;
  DeviceIDs?: string[];
  /** A list of capabilities; an OR list of AND lists of capabilities. */
  Capabilities?: string[][];
  /**
   * Driver-specific options, specified as a key/value pairs. These options
   * are passed directly to the driver.
   */
  Options?: Record<string, string>;
}

export interface ThrottleDevice {
  /** Device path */
  Path?: string;
  /** Rate */
  Rate?: number;
}

export interface Mount {
  /** Container path. */
  Target?: string;
  /**
   * Mount source (e.g. a volume name, a host path). The source cannot be
   * specified when using `Type=tmpfs`. For `Type=bind`, the source path
   * must either exist, or the `CreateMountpoint` must be set to `true` to
   * create the source path on the host if missing.
   */
  Source?: string;
  /** The mount type. Available types: */
  Type?: MountType;
  /** Whether the mount should be read-only. */
  ReadOnly?: boolean;
  /** The consistency requirement for the mount: `default`, `consistent`, `cached`, or `delegated`. */
  Consistency?: string;
  /** Optional configuration for the `bind` type. */
  BindOptions?: {
    /** A propagation mode with the value `[r]private`, `[r]shared`, or `[r]slave`. */
    Propagation?: "private" | "rprivate" | "shared" | "rshared" | "slave" | "rslave";
    /** Disable recursive bind mount. */
    NonRecursive?: boolean;
    /** Create mount point on host if missing */
    CreateMountpoint?: boolean;
    /**
     * Make the mount non-recursively read-only, but still leave the mount recursive
     * (unless NonRecursive is set to `true` in conjunction).
     */
    ReadOnlyNonRecursive?: boolean;
    /** Raise an error if the mount cannot be made recursively read-only. */
    ReadOnlyForceRecursive?: boolean;
  };
  /** Optional configuration for the `volume` type. */
  VolumeOptions?: {
    /** Populate volume with data from the target. */
    NoCopy?: boolean;
    /** User-defined key/value metadata. */
    Labels?: Record<string, string>;
    /** Map of driver specific options */
    DriverConfig?: {
      /** Name of the driver to use to create the volume. */
      Name?: string;
      /** key/value map of driver specific options. */
      Options?: Record<string, string>;
    };
    /** Source path inside the volume. Must be relative without any back traversals. */
    Subpath?: string;
  };
  /** Optional configuration for the `image` type. */
  ImageOptions?: {
    /** Source path inside the image. Must be relative without any back traversals. */
    Subpath?: string;
  };
  /** Optional configuration for the `tmpfs` type. */
  TmpfsOptions?: {
    /** The size for the tmpfs mount in bytes. */
    SizeBytes?: number;
    /**
     * The permission mode for the tmpfs mount in an integer.
     * The value must not be in octal format (e.g. 755) but rather
     * the decimal representation of the octal value (e.g. 493).
     */
    Mode?: number;
    /**
     * The options to be passed to the tmpfs mount. An array of arrays.
     * Flag options should be provided as 1-length arrays. Other types
     * should be provided as as 2-length arrays, where the first item is
     * the key and the second the value.
     */
    Options?: string[][];
  };
}

/**
 * The behavior to apply when the container exits. The default is not to
 * restart.
 */
export interface RestartPolicy {
  /**
   * - Empty string means not to restart
   * - `no` Do not automatically restart
   * - `always` Always restart
   * - `unless-stopped` Restart always except when the user has manually stopped the container
   * - `on-failure` Restart only when the container exit code is non-zero
   */
  Name?: "" | "no" | "always" | "unless-stopped" | "on-failure";
  /** If `on-failure` is used, the number of times to retry before giving up. */
  MaximumRetryCount?: number;
}

/** A container's resources (cgroups config, ulimits, etc) */
export interface Resources {
  /**
   * An integer value representing this container's relative CPU weight
   * versus other containers.
   */
  CpuShares?: number;
  /** Memory limit in bytes. */
  Memory?: number;
  /**
   * Path to `cgroups` under which the container's `cgroup` is created. If
   * the path is not absolute, the path is considered to be relative to the
   * `cgroups` path of the init process. Cgroups are created if they do not
   * already exist.
   */
  CgroupParent?: string;
  /** Block IO weight (relative weight). */
  BlkioWeight?: number;
  /** Block IO weight (relative device weight) in the form: */
  BlkioWeightDevice?: {
    Path?: string;
    Weight?: number;
  }[];
  /** Limit read rate (bytes per second) from a device, in the form: */
  BlkioDeviceReadBps?: ThrottleDevice[];
  /** Limit write rate (bytes per second) to a device, in the form: */
  BlkioDeviceWriteBps?: ThrottleDevice[];
  /** Limit read rate (IO per second) from a device, in the form: */
  BlkioDeviceReadIOps?: ThrottleDevice[];
  /** Limit write rate (IO per second) to a device, in the form: */
  BlkioDeviceWriteIOps?: ThrottleDevice[];
  /** The length of a CPU period in microseconds. */
  CpuPeriod?: number;
  /** Microseconds of CPU time that the container can get in a CPU period. */
  CpuQuota?: number;
  /**
   * The length of a CPU real-time period in microseconds. Set to 0 to
   * allocate no time allocated to real-time tasks.
   */
  CpuRealtimePeriod?: number;
  /**
   * The length of a CPU real-time runtime in microseconds. Set to 0 to
   * allocate no time allocated to real-time tasks.
   */
  CpuRealtimeRuntime?: number;
  /** CPUs in which to allow execution (e.g., `0-3`, `0,1`). */
  CpusetCpus?: string;
  /**
   * Memory nodes (MEMs) in which to allow execution (0-3, 0,1). Only
   * effective on NUMA systems.
   */
  CpusetMems?: string;
  /** A list of devices to add to the container. */
  Devices?: DeviceMapping[];
  /** a list of cgroup rules to apply to the container */
  DeviceCgroupRules?: string[];
  /** A list of requests for devices to be sent to device drivers. */
  DeviceRequests?: DeviceRequest[];
  /** Memory soft limit in bytes. */
  MemoryReservation?: number;
  /**
   * Total memory limit (memory + swap). Set as `-1` to enable unlimited
   * swap.
   */
  MemorySwap?: number;
  /**
   * Tune a container's memory swappiness behavior. Accepts an integer
   * between 0 and 100.
   */
  MemorySwappiness?: number;
  /** CPU quota in units of 10<sup>-9</sup> CPUs. */
  NanoCpus?: number;
  /** Disable OOM Killer for the container. */
  OomKillDisable?: boolean;
  /**
   * Run an init inside the container that forwards signals and reaps
   * processes. This field is omitted if empty, and the default (as
   * configured on the daemon) is used.
   */
  Init?: boolean | null;
  /**
   * Tune a container's PIDs limit. Set `0` or `-1` for unlimited, or `null`
   * to not change.
   */
  PidsLimit?: number | null;
  /** A list of resource limits to set in the container. For example: */
  Ulimits?: {
    /** Name of ulimit */
    Name?: string;
    /** Soft limit */
    Soft?: number;
    /** Hard limit */
    Hard?: number;
  }[];
  /** The number of usable CPUs (Windows only). */
  CpuCount?: number;
  /** The usable percentage of the available CPUs (Windows only). */
  CpuPercent?: number;
  /** Maximum IOps for the container system drive (Windows only) */
  IOMaximumIOps?: number;
  /**
   * Maximum IO in bytes per second for the container system drive
   * (Windows only).
   */
  IOMaximumBandwidth?: number;
}

/** An object describing a limit on resources which can be requested by a task. */
export interface Limit {
  NanoCPUs?: number;
  MemoryBytes?: number;
  /** Limits the maximum number of PIDs in the container. Set `0` for unlimited. */
  Pids?: number;
}

/**
 * An object describing the resources which can be advertised by a node and
 * requested by a task.
 */
export interface ResourceObject {
  NanoCPUs?: number;
  MemoryBytes?: number;
  GenericResources?: GenericResources;
}

/**
 * User-defined resources can be either Integer resources (e.g, `SSD=3`) or
 * String resources (e.g, `GPU=UUID1`).
 */
export type GenericResources = {
  NamedResourceSpec?: {
    Kind?: string;
    Value?: string;
  };
  DiscreteResourceSpec?: {
    Kind?: string;
    Value?: number;
  };
}[];

/**
 * A test to perform to check that the container is healthy.
 * Healthcheck commands should be side-effect free.
 */
export interface HealthConfig {
  /** The test to perform. Possible values are: */
  Test?: string[];
  /**
   * The time to wait between checks in nanoseconds. It should be 0 or at
   * least 1000000 (1 ms). 0 means inherit.
   */
  Interval?: number;
  /**
   * The time to wait before considering the check to have hung. It should
   * be 0 or at least 1000000 (1 ms). 0 means inherit.
   */
  Timeout?: number;
  /**
   * The number of consecutive failures needed to consider a container as
   * unhealthy. 0 means inherit.
   */
  Retries?: number;
  /**
   * Start period for the container to initialize before starting
   * health-retries countdown in nanoseconds. It should be 0 or at least
   * 1000000 (1 ms). 0 means inherit.
   */
  StartPeriod?: number;
  /**
   * The time to wait between checks in nanoseconds during the start period.
   * It should be 0 or at least 1000000 (1 ms). 0 means inherit.
   */
  StartInterval?: number;
}

/** Health stores information about the container's healthcheck results. */
export type Health = {
  /** Status is one of `none`, `starting`, `healthy` or `unhealthy` */
  Status?: "none" | "starting" | "healthy" | "unhealthy";
  /** FailingStreak is the number of consecutive failures */
  FailingStreak?: number;
  /** Log contains the last few results (oldest first) */
  Log?: HealthcheckResult[];
} | null;

/** HealthcheckResult stores information about a single run of a healthcheck probe */
export type HealthcheckResult = {
  /**
   * Date and time at which this check started in
   * [RFC 3339](https://www.ietf.org/rfc/rfc3339.txt) format with nano-seconds.
   */
  Start?: string;
  /**
   * Date and time at which this check ended in
   * [RFC 3339](https://www.ietf.org/rfc/rfc3339.txt) format with nano-seconds.
   */
  End?: string;
  /** ExitCode meanings: */
  ExitCode?: number;
  /** Output from last check */
  Output?: string;
} | null;

/** Container configuration that depends on the host we are running on */
export type HostConfig = Resources & {
  /**
   * A list of volume bindings for this container. Each volume binding
   * is a string in one of these forms:
   */
  Binds?: string[];
  /** Path to a file where the container ID is written */
  ContainerIDFile?: string;
  /** The logging configuration for this container */
  LogConfig?: {
    /**
     * Name of the logging driver used for the container or "none"
     * if logging is disabled.
     */
    Type?: "local" | "json-file" | "syslog" | "journald" | "gelf" | "fluentd" | "awslogs" | "splunk" | "etwlogs" | "none";
    /** Driver-specific configuration options for the logging driver. */
    Config?: Record<string, string>;
  };
  /**
   * Network mode to use for this container. Supported standard values
   * are: `bridge`, `host`, `none`, and `container:<name|id>`. Any
   * other value is taken as a custom network's name to which this
   * container should connect to.
   */
  NetworkMode?: string;
  PortBindings?: PortMap;
  RestartPolicy?: RestartPolicy;
  /**
   * Automatically remove the container when the container's process
   * exits. This has no effect if `RestartPolicy` is set.
   */
  AutoRemove?: boolean;
  /** Driver that this container uses to mount volumes. */
  VolumeDriver?: string;
  /**
   * A list of volumes to inherit from another container, specified in
   * the form `<container name>[:<ro|rw>]`.
   */
  VolumesFrom?: string[];
  /** Specification for mounts to be added to the container. */
  Mounts?: Mount[];
  /** Initial console size, as an `[height, width]` array. */
  ConsoleSize?: number[] | null;
  /**
   * Arbitrary non-identifying metadata attached to container and
   * provided to the runtime when the container is started.
   */
  Annotations?: Record<string, string>;
  /**
   * A list of kernel capabilities to add to the container. Conflicts
   * with option 'Capabilities'.
   */
  CapAdd?: string[];
  /**
   * A list of kernel capabilities to drop from the container. Conflicts
   * with option 'Capabilities'.
   */
  CapDrop?: string[];
  /** cgroup namespace mode for the container. Possible values are: */
  CgroupnsMode?: "private" | "host";
  /** A list of DNS servers for the container to use. */
  Dns?: string[];
  /** A list of DNS options. */
  DnsOptions?: string[];
  /** A list of DNS search domains. */
  DnsSearch?: string[];
  /**
   * A list of hostnames/IP mappings to add to the container's `/etc/hosts`
   * file. Specified in the form `["hostname:IP"]`.
   */
  ExtraHosts?: string[];
  /** A list of additional groups that the container process will run as. */
  GroupAdd?: string[];
  /** IPC sharing mode for the container. Possible values are: */
  IpcMode?: string;
  /** Cgroup to use for the container. */
  Cgroup?: string;
  /** A list of links for the container in the form `container_name:alias`. */
  Links?: string[];
  /**
   * An integer value containing the score given to the container in
   * order to tune OOM killer preferences.
   */
  OomScoreAdj?: number;
  /**
   * Set the PID (Process) Namespace mode for the container. It can be
   * either:
   */
  PidMode?: string;
  /** Gives the container full access to the host. */
  Privileged?: boolean;
  /**
   * Allocates an ephemeral host port for all of a container's
   * exposed ports.
   */
  PublishAllPorts?: boolean;
  /** Mount the container's root filesystem as read only. */
  ReadonlyRootfs?: boolean;
  /**
   * A list of string values to customize labels for MLS systems, such
   * as SELinux.
   */
  SecurityOpt?: string[];
  /** Storage driver options for this container, in the form `{"size": "120G"}`. */
  StorageOpt?: Record<string, string>;
  /**
   * A map of container directories which should be replaced by tmpfs
   * mounts, and their corresponding mount options. For example:
   */
  Tmpfs?: Record<string, string>;
  /** UTS namespace to use for the container. */
  UTSMode?: string;
  /**
   * Sets the usernamespace mode for the container when usernamespace
   * remapping option is enabled.
   */
  UsernsMode?: string;
  /** Size of `/dev/shm` in bytes. If omitted, the system uses 64MB. */
  ShmSize?: number;
  /** A list of kernel parameters (sysctls) to set in the container. */
  Sysctls?: Record<string, string> | null;
  /** Runtime to use with this container. */
  Runtime?: string | null;
  /** Isolation technology of the container. (Windows only) */
  Isolation?: "default" | "process" | "hyperv" | "";
  /**
   * The list of paths to be masked inside the container (this overrides
   * the default set of paths).
   */
  MaskedPaths?: string[];
  /**
   * The list of paths to be set as read-only inside the container
   * (this overrides the default set of paths).
   */
  ReadonlyPaths?: string[];
};

/** Configuration for a container that is portable between hosts. */
export interface ContainerConfig {
  /** The hostname to use for the container, as a valid RFC 1123 hostname. */
  Hostname?: string;
  /** The domain name to use for the container. */
  Domainname?: string;
  /**
   * Commands run as this user inside the container. If omitted, commands
   * run as the user specified in the image the container was started from.
   */
  User?: string;
  /** Whether to attach to `stdin`. */
  AttachStdin?: boolean;
  /** Whether to attach to `stdout`. */
  AttachStdout?: boolean;
  /** Whether to attach to `stderr`. */
  AttachStderr?: boolean;
  /** An object mapping ports to an empty object in the form: */
  ExposedPorts?: Record<string, Record<string, never>> | null;
  /** Attach standard streams to a TTY, including `stdin` if it is not closed. */
  Tty?: boolean;
  /** Open `stdin` */
  OpenStdin?: boolean;
  /** Close `stdin` after one attached client disconnects */
  StdinOnce?: boolean;
  /**
   * A list of environment variables to set inside the container in the
   * form `["VAR=value", ...]`. A variable without `=` is removed from the
   * environment, rather than to have an empty value.
   */
  Env?: string[];
  /** Command to run specified as a string or an array of strings. */
  Cmd?: string[];
  Healthcheck?: HealthConfig;
  /** Command is already escaped (Windows only) */
  ArgsEscaped?: boolean | null;
  /**
   * The name (or reference) of the image to use when creating the container,
   * or which was used when the container was created.
   */
  Image?: string;
  /**
   * An object mapping mount point paths inside the container to empty
   * objects.
   */
  Volumes?: Record<string, Record<string, never>>;
  /** The working directory for commands to run in. */
  WorkingDir?: string;
  /** The entry point for the container as a string or an array of strings. */
  Entrypoint?: string[];
  /** Disable networking for the container. */
  NetworkDisabled?: boolean | null;
  /** `ONBUILD` metadata that were defined in the image's `Dockerfile`. */
  OnBuild?: string[] | null;
  /** User-defined key/value metadata. */
  Labels?: Record<string, string>;
  /** Signal to stop a container as a string or unsigned integer. */
  StopSignal?: string | null;
  /**
   * Timeout to stop a container in seconds. If omitted, the daemon-wide
   * default (`default-stop-timeout`) is used.
   */
  StopTimeout?: number | null;
  /** Shell for when `RUN`, `CMD`, and `ENTRYPOINT` uses a shell. */
  Shell?: string[] | null;
}

/**
 * Configuration of the image. These fields are used as defaults
 * when starting a container from the image.
 */
export interface ImageConfig {
  /** The user that commands are run as inside the container. */
  User?: string;
  /** An object mapping ports to an empty object in the form: */
  ExposedPorts?: Record<string, Record<string, never>> | null;
  /**
   * A list of environment variables to set inside the container in the
   * form `["VAR=value", ...]`. A variable without `=` is removed from the
   * environment, rather than to have an empty value.
   */
  Env?: string[];
  /** Command to run specified as a string or an array of strings. */
  Cmd?: string[];
  Healthcheck?: HealthConfig;
  /** Command is already escaped (Windows only) */
  ArgsEscaped?: boolean | null;
  /**
   * An object mapping mount point paths inside the container to empty
   * objects.
   */
  Volumes?: Record<string, Record<string, never>>;
  /** The working directory for commands to run in. */
  WorkingDir?: string;
  /** The entry point for the container as a string or an array of strings. */
  Entrypoint?: string[];
  /** `ONBUILD` metadata that were defined in the image's `Dockerfile`. */
  OnBuild?: string[] | null;
  /** User-defined key/value metadata. */
  Labels?: Record<string, string>;
  /** Signal to stop a container as a string or unsigned integer. */
  StopSignal?: string | null;
  /** Shell for when `RUN`, `CMD`, and `ENTRYPOINT` uses a shell. */
  Shell?: string[] | null;
}

/**
 * NetworkingConfig represents the container's networking configuration for
 * each of its interfaces.
 * It is used for the networking configs specified in the `docker create`
 * and `docker network connect` commands.
 */
export interface NetworkingConfig {
  /**
   * A mapping of network name to endpoint configuration for that network.
   * The endpoint configuration can be left empty to connect to that
   * network with no particular endpoint configuration.
   */
  EndpointsConfig?: Record<string, EndpointSettings>;
}

/** NetworkSettings exposes the network settings in the API */
export interface NetworkSettings {
  /** SandboxID uniquely represents a container's network stack. */
  SandboxID?: string;
  /** SandboxKey is the full path of the netns handle */
  SandboxKey?: string;
  Ports?: PortMap;
  /** Information about all networks that the container is connected to. */
  Networks?: Record<string, EndpointSettings>;
}

/** Address represents an IPv4 or IPv6 IP address. */
export interface Address {
  /** IP address. */
  Addr?: string;
  /** Mask length of the IP address. */
  PrefixLen?: number;
}

/**
 * PortMap describes the mapping of container ports to host ports, using the
 * container's port-number and protocol as key in the format `<port>/<protocol>`,
 * for example, `80/udp`.
 */
export type PortMap = Record<string, PortBinding[] | null>;

/**
 * PortBinding represents a binding between a host IP address and a host
 * port.
 */
export interface PortBinding {
  /** Host IP address that the container's port is mapped to. */
  HostIp?: string;
  /** Host port number that the container's port is mapped to. */
  HostPort?: string;
}

/**
 * Information about the storage driver used to store the container's and
 * image's filesystem.
 */
export interface DriverData {
  /** Name of the storage driver. */
  Name: string;
  /** Low-level storage metadata, provided as key/value pairs. */
  Data: Record<string, string>;
}

/** Information about the storage used by the container. */
export interface Storage {
  /** Information about the storage used for the container's root filesystem. */
  RootFS?: RootFSStorage | null;
}

/** Information about the storage used for the container's root filesystem. */
export interface RootFSStorage {
  /** Information about the snapshot used for the container's root filesystem. */
  Snapshot?: RootFSStorageSnapshot | null;
}

/** Information about a snapshot backend of the container's root filesystem. */
export interface RootFSStorageSnapshot {
  /** Name of the snapshotter. */
  Name?: string;
}

/** Change in the container's filesystem. */
export interface FilesystemChange {
  /** Path to file or directory that has changed. */
  Path: string;
  Kind: ChangeType;
}

/** Kind of change */
export type ChangeType = 0 | 1 | 2;

/** Information about an image in the local image cache. */
export interface ImageInspect {
  /** ID is the content-addressable ID of an image. */
  Id?: string;
  /**
   * Descriptor is an OCI descriptor of the image target.
   * In case of a multi-platform image, this descriptor points to the OCI index
   * or a manifest list.
   */
  Descriptor?: OCIDescriptor | null;
  /**
   * Manifests is a list of image manifests available in this image. It
   * provides a more detailed view of the platform-specific image manifests or
   * other image-attached data like build attestations.
   */
  Manifests?: ImageManifestSummary[] | null;
  /**
   * Identity holds information about the identity and origin of the image.
   * This is trusted information verified by the daemon and cannot be modified
   * by tagging an image to a different name.
   */
  Identity?: Identity | null;
  /**
   * List of image names/tags in the local image cache that reference this
   * image.
   */
  RepoTags?: string[];
  /**
   * List of content-addressable digests of locally available image manifests
   * that the image is referenced from. Multiple manifests can refer to the
   * same image.
   */
  RepoDigests?: string[];
  /** Optional message that was set when committing or importing the image. */
  Comment?: string | null;
  /**
   * Date and time at which the image was created, formatted in
   * [RFC 3339](https://www.ietf.org/rfc/rfc3339.txt) format with nano-seconds.
   */
  Created?: string | null;
  /**
   * Name of the author that was specified when committing the image, or as
   * specified through MAINTAINER (deprecated) in the Dockerfile.
   */
  Author?: string | null;
  Config?: ImageConfig;
  /** Hardware CPU architecture that the image runs on. */
  Architecture?: string;
  /** CPU architecture variant (presently ARM-only). */
  Variant?: string | null;
  /** Operating System the image is built to run on. */
  Os?: string;
  /**
   * Operating System version the image is built to run on (especially
   * for Windows).
   */
  OsVersion?: string | null;
  /** Total size of the image variant, including all layers it is composed of. */
  Size?: number;
  GraphDriver?: DriverData | null;
  /** Information about the image's RootFS, including the layer IDs. */
  RootFS?: {
    Type: string;
    Layers?: string[];
  };
  /**
   * Additional metadata of the image in the local cache. This information
   * is local to the daemon, and not part of the image itself.
   */
  Metadata?: {
    /**
     * Date and time at which the image was last tagged in
     * [RFC 3339](https://www.ietf.org/rfc/rfc3339.txt) format with nano-seconds.
     */
    LastTagTime?: string | null;
  };
}

/**
 * Identity holds information about the identity and origin of the image.
 * This is trusted information verified by the daemon and cannot be modified
 * by tagging an image to a different name.
 */
export interface Identity {
  /** Signature contains the properties of verified signatures for the image. */
  Signature?: SignatureIdentity[];
  /**
   * Pull contains remote location information if image was created via pull.
   * If image was pulled via mirror, this contains the original repository location.
   * After successful push this images also contains the pushed repository location.
   */
  Pull?: PullIdentity[];
  /** Build contains build reference information if image was created via build. */
  Build?: BuildIdentity[];
}

/** BuildIdentity contains build reference information if image was created via build. */
export interface BuildIdentity {
  /**
   * Ref is the identifier for the build request. This reference can be used to
   * look up the build details in BuildKit history API.
   */
  Ref?: string;
  /** CreatedAt is the time when the build ran. */
  CreatedAt?: string;
}

/**
 * PullIdentity contains remote location information if image was created via pull.
 * If image was pulled via mirror, this contains the original repository location.
 */
export interface PullIdentity {
  /** Repository is the remote repository location the image was pulled from. */
  Repository?: string;
}

/** SignatureIdentity contains the properties of verified signatures for the image. */
export interface SignatureIdentity {
  /** Name is a textual description summarizing the type of signature. */
  Name?: string;
  /** Timestamps contains a list of verified signed timestamps for the signature. */
  Timestamps?: SignatureTimestamp[];
  /** KnownSigner is an identifier for a special signer identity that is known to the implementation. */
  KnownSigner?: KnownSignerIdentity;
  /**
   * DockerReference is the Docker image reference associated with the signature.
   * This is an optional field only present in older hashedrecord signatures.
   */
  DockerReference?: string;
  /** Signer contains information about the signer certificate used to sign the image. */
  Signer?: SignerIdentity;
  /** SignatureType is the type of signature format. E.g. "bundle-v0.3" or "hashedrecord". */
  SignatureType?: SignatureType;
  /**
   * Error contains error information if signature verification failed.
   * Other fields will be empty in this case.
   */
  Error?: string;
  /**
   * Warnings contains any warnings that occurred during signature verification.
   * For example, if there was no internet connectivity and cached trust roots were used.
   * Warning does not indicate a failed verification but may point to configuration issues.
   */
  Warnings?: string[];
}

/** SignatureTimestamp contains information about a verified signed timestamp for an image signature. */
export interface SignatureTimestamp {
  Type?: SignatureTimestampType;
  URI?: string;
  Timestamp?: string;
}

/** SignatureTimestampType is the type of timestamp used in the signature. */
export type SignatureTimestampType = "Tlog" | "TimestampAuthority";

/** SignatureType is the type of signature format. */
export type SignatureType = "bundle-v0.3" | "simplesigning-v1";

/** KnownSignerIdentity is an identifier for a special signer identity that is known to the implementation. */
export type KnownSignerIdentity = "DHI";

/** SignerIdentity contains information about the signer certificate used to sign the image. */
export interface SignerIdentity {
  /** CertificateIssuer is the certificate issuer. */
  CertificateIssuer?: string;
  /** SubjectAlternativeName is the certificate subject alternative name. */
  SubjectAlternativeName?: string;
  /**
   * The OIDC issuer. Should match `iss` claim of ID token or, in the case of
   * a federated login like Dex it should match the issuer URL of the
   * upstream issuer. The issuer is not set the extensions are invalid and
   * will fail to render.
   */
  Issuer?: string;
  /** Reference to specific build instructions that are responsible for signing. */
  BuildSignerURI?: string;
  /** Immutable reference to the specific version of the build instructions that is responsible for signing. */
  BuildSignerDigest?: string;
  /** Specifies whether the build took place in platform-hosted cloud infrastructure or customer/self-hosted infrastructure. */
  RunnerEnvironment?: string;
  /** Source repository URL that the build was based on. */
  SourceRepositoryURI?: string;
  /** Immutable reference to a specific version of the source code that the build was based upon. */
  SourceRepositoryDigest?: string;
  /** Source Repository Ref that the build run was based upon. */
  SourceRepositoryRef?: string;
  /** Immutable identifier for the source repository the workflow was based upon. */
  SourceRepositoryIdentifier?: string;
  /** Source repository owner URL of the owner of the source repository that the build was based on. */
  SourceRepositoryOwnerURI?: string;
  /** Immutable identifier for the owner of the source repository that the workflow was based upon. */
  SourceRepositoryOwnerIdentifier?: string;
  /** Build Config URL to the top-level/initiating build instructions. */
  BuildConfigURI?: string;
  /** Immutable reference to the specific version of the top-level/initiating build instructions. */
  BuildConfigDigest?: string;
  /** Event or action that initiated the build. */
  BuildTrigger?: string;
  /** Run Invocation URL to uniquely identify the build execution. */
  RunInvocationURI?: string;
  /** Source repository visibility at the time of signing the certificate. */
  SourceRepositoryVisibilityAtSigning?: string;
}

export interface ImageSummary {
  /** ID is the content-addressable ID of an image. */
  Id: string;
  /** ID of the parent image. */
  ParentId: string;
  /**
   * List of image names/tags in the local image cache that reference this
   * image.
   */
  RepoTags: string[];
  /**
   * List of content-addressable digests of locally available image manifests
   * that the image is referenced from. Multiple manifests can refer to the
   * same image.
   */
  RepoDigests: string[];
  /**
   * Date and time at which the image was created as a Unix timestamp
   * (number of seconds since EPOCH).
   */
  Created: number;
  /** Total size of the image including all layers it is composed of. */
  Size: number;
  /**
   * Total size of image layers that are shared between this image and other
   * images.
   */
  SharedSize: number;
  /** User-defined key/value metadata. */
  Labels: Record<string, string>;
  /**
   * Number of containers using this image. Includes both stopped and running
   * containers.
   */
  Containers: number;
  /**
   * Manifests is a list of manifests available in this image.
   * It provides a more detailed view of the platform-specific image manifests
   * or other image-attached data like build attestations.
   */
  Manifests?: ImageManifestSummary[];
  /**
   * Descriptor is an OCI descriptor of the image target.
   * In case of a multi-platform image, this descriptor points to the OCI index
   * or a manifest list.
   */
  Descriptor?: OCIDescriptor | null;
}

/** represents system data usage for image resources. */
export interface ImagesDiskUsage {
  /** Count of active images. */
  ActiveCount?: number;
  /** Count of all images. */
  TotalCount?: number;
  /** Disk space that can be reclaimed by removing unused images. */
  Reclaimable?: number;
  /** Disk space in use by images. */
  TotalSize?: number;
  /** List of image summaries. */
  Items?: unknown[];
}

export interface AuthConfig {
  username?: string;
  password?: string;
  serveraddress?: string;
}

/** An identity token was generated successfully. */
export interface AuthResponse {
  /** The status of the authentication */
  Status: string;
  /** An opaque token used to authenticate a user after a successful login */
  IdentityToken?: string;
}

export interface ProcessConfig {
  privileged?: boolean;
  user?: string;
  tty?: boolean;
  entrypoint?: string;
  arguments?: string[];
}

export interface Volume {
  /** Name of the volume. */
  Name: string;
  /** Name of the volume driver used by the volume. */
  Driver: string;
  /** Mount path of the volume on the host. */
  Mountpoint: string;
  /** Date/Time the volume was created. */
  CreatedAt?: string;
  /**
   * Low-level details about the volume, provided by the volume driver.
   * Details are returned as a map with key/value pairs:
   * `{"key":"value","key2":"value2"}`.
   */
  Status?: Record<string, Record<string, unknown>>;
  /** User-defined key/value metadata. */
  Labels: Record<string, string>;
  /**
   * The level at which the volume exists. Either `global` for cluster-wide,
   * or `local` for machine level.
   */
  Scope: "local" | "global";
  ClusterVolume?: ClusterVolume;
  /** The driver specific options used when creating the volume. */
  Options: Record<string, string>;
  /**
   * Usage details about the volume. This information is used by the
   * `GET /system/df` endpoint, and omitted in other endpoints.
   */
  UsageData?: {
    /**
     * Amount of disk space used by the volume (in bytes). This information
     * is only available for volumes created with the `"local"` volume
     * driver. For volumes created with other volume drivers, this field
     * is set to `-1` ("not available")
     */
    Size: number;
    /**
     * The number of containers referencing this volume. This field
     * is set to `-1` if the reference-count is not available.
     */
    RefCount: number;
  } | null;
}

/** represents system data usage for volume resources. */
export interface VolumesDiskUsage {
  /** Count of active volumes. */
  ActiveCount?: number;
  /** Count of all volumes. */
  TotalCount?: number;
  /** Disk space that can be reclaimed by removing inactive volumes. */
  Reclaimable?: number;
  /** Disk space in use by volumes. */
  TotalSize?: number;
  /** List of volumes. */
  Items?: unknown[];
}

/** Volume configuration */
export interface VolumeCreateRequest {
  /** The new volume's name. If not specified, Docker generates a name. */
  Name?: string;
  /** Name of the volume driver to use. */
  Driver?: string;
  /**
   * A mapping of driver options and values. These options are
   * passed directly to the driver and are driver specific.
   */
  DriverOpts?: Record<string, string>;
  /** User-defined key/value metadata. */
  Labels?: Record<string, string>;
  ClusterVolumeSpec?: ClusterVolumeSpec;
}

/** Volume list response */
export interface VolumeListResponse {
  /** List of volumes */
  Volumes?: Volume[];
  /** Warnings that occurred when fetching the list of volumes. */
  Warnings?: string[];
}

export interface Network {
  /** Name of the network. */
  Name?: string;
  /** ID that uniquely identifies a network on a single machine. */
  Id?: string;
  /**
   * Date and time at which the network was created in
   * [RFC 3339](https://www.ietf.org/rfc/rfc3339.txt) format with nano-seconds.
   */
  Created?: string;
  /**
   * The level at which the network exists (e.g. `swarm` for cluster-wide
   * or `local` for machine level)
   */
  Scope?: string;
  /**
   * The name of the driver used to create the network (e.g. `bridge`,
   * `overlay`).
   */
  Driver?: string;
  /** Whether the network was created with IPv4 enabled. */
  EnableIPv4?: boolean;
  /** Whether the network was created with IPv6 enabled. */
  EnableIPv6?: boolean;
  /** The network's IP Address Management. */
  IPAM?: IPAM;
  /**
   * Whether the network is created to only allow internal networking
   * connectivity.
   */
  Internal?: boolean;
  /**
   * Whether a global / swarm scope network is manually attachable by regular
   * containers from workers in swarm mode.
   */
  Attachable?: boolean;
  /** Whether the network is providing the routing-mesh for the swarm cluster. */
  Ingress?: boolean;
  ConfigFrom?: ConfigReference;
  /**
   * Whether the network is a config-only network. Config-only networks are
   * placeholder networks for network configurations to be used by other
   * networks. Config-only networks cannot be used directly to run containers
   * or services.
   */
  ConfigOnly?: boolean;
  /** Network-specific options uses when creating the network. */
  Options?: Record<string, string>;
  /** Metadata specific to the network being created. */
  Labels?: Record<string, string>;
  /**
   * List of peer nodes for an overlay network. This field is only present
   * for overlay networks, and omitted for other network types.
   */
  Peers?: PeerInfo[];
}

/** Network list response item */
export type NetworkSummary = Network;

/** The body of the "get network" http response message. */
export type NetworkInspect = Network;

/** provides runtime information about the network such as the number of allocated IPs. */
export interface NetworkStatus {
  IPAM?: IPAMStatus;
}

/** represents service parameters with the list of service's tasks */
export interface ServiceInfo {
  VIP?: string;
  Ports?: string[];
  LocalLBIndex?: number;
  Tasks?: NetworkTaskInfo[];
}

/** carries the information about one backend task */
export interface NetworkTaskInfo {
  Name?: string;
  EndpointID?: string;
  EndpointIP?: string;
  Info?: Record<string, string>;
}

/**
 * The config-only network source to provide the configuration for
 * this network.
 */
export interface ConfigReference {
  /**
   * The name of the config-only network that provides the network's
   * configuration. The specified network must be an existing config-only
   * network. Only network names are allowed, not network IDs.
   */
  Network?: string;
}

export interface IPAM {
  /** Name of the IPAM driver to use. */
  Driver?: string;
  /** List of IPAM configuration options, specified as a map: */
  Config?: IPAMConfig[];
  /** Driver-specific options, specified as a map. */
  Options?: Record<string, string>;
}

export interface IPAMConfig {
  Subnet?: string;
  IPRange?: string;
  Gateway?: string;
  AuxiliaryAddresses?: Record<string, string>;
}

export interface IPAMStatus {
  Subnets?: Record<string, SubnetStatus>;
}

export interface SubnetStatus {
  /** Number of IP addresses in the subnet that are in use or reserved and are therefore unavailable for allocation, saturating at 2<sup>64</sup> - 1. */
  IPsInUse?: number;
  /** Number of IP addresses within the network's IPRange for the subnet that are available for allocation, saturating at 2<sup>64</sup> - 1. */
  DynamicIPsAvailable?: number;
}

/** contains network resources allocated and used for a container in a network. */
export interface EndpointResource {
  Name?: string;
  EndpointID?: string;
  MacAddress?: string;
  IPv4Address?: string;
  IPv6Address?: string;
}

/** represents one peer of an overlay network. */
export interface PeerInfo {
  /** ID of the peer-node in the Swarm cluster. */
  Name?: string;
  /** IP-address of the peer-node in the Swarm cluster. */
  IP?: string;
}

/** OK response to NetworkCreate operation */
export interface NetworkCreateResponse {
  /** The ID of the created network. */
  Id: string;
  /** Warnings encountered when creating the container */
  Warning: string;
}

export interface BuildInfo {
  id?: string;
  stream?: string;
  errorDetail?: ErrorDetail;
  status?: string;
  progressDetail?: ProgressDetail;
  aux?: ImageID;
}

/** BuildCache contains information about a build cache record. */
export interface BuildCache {
  /** Unique ID of the build cache record. */
  ID?: string;
  /** List of parent build cache record IDs. */
  Parents?: string[] | null;
  /** Cache record type. */
  Type?: "internal" | "frontend" | "source.local" | "source.git.checkout" | "exec.cachemount" | "regular";
  /** Description of the build-step that produced the build cache. */
  Description?: string;
  /** Indicates if the build cache is in use. */
  InUse?: boolean;
  /** Indicates if the build cache is shared. */
  Shared?: boolean;
  /** Amount of disk space used by the build cache (in bytes). */
  Size?: number;
  /**
   * Date and time at which the build cache was created in
   * [RFC 3339](https://www.ietf.org/rfc/rfc3339.txt) format with nano-seconds.
   */
  CreatedAt?: string;
  /**
   * Date and time at which the build cache was last used in
   * [RFC 3339](https://www.ietf.org/rfc/rfc3339.txt) format with nano-seconds.
   */
  LastUsedAt?: string | null;
  UsageCount?: number;
}

/** represents system data usage for build cache resources. */
export interface BuildCacheDiskUsage {
  /** Count of active build cache records. */
  ActiveCount?: number;
  /** Count of all build cache records. */
  TotalCount?: number;
  /** Disk space that can be reclaimed by removing inactive build cache records. */
  Reclaimable?: number;
  /** Disk space in use by build cache records. */
  TotalSize?: number;
  /** List of build cache records. */
  Items?: unknown[];
}

/** Image ID or Digest */
export interface ImageID {
  ID?: string;
}

export interface CreateImageInfo {
  id?: string;
  errorDetail?: ErrorDetail;
  status?: string;
  progressDetail?: ProgressDetail;
}

export interface PushImageInfo {
  errorDetail?: ErrorDetail;
  status?: string;
  progressDetail?: ProgressDetail;
}

/** DeviceInfo represents a device that can be used by a container. */
export interface DeviceInfo {
  /** The origin device driver. */
  Source?: string;
  /**
   * The unique identifier for the device within its source driver.
   * For CDI devices, this would be an FQDN like "vendor.com/gpu=0".
   */
  ID?: string;
}

/** Information about the Node Resource Interface (NRI). */
export type NRIInfo = {
  /** Information about NRI, provided as "label" / "value" pairs. */
  Info?: string[][];
} | null;

export interface ErrorDetail {
  code?: number;
  message?: string;
}

export interface ProgressDetail {
  current?: number;
  total?: number;
}

/** Represents an error. */
export interface ErrorResponse {
  /** The error message. */
  message: string;
}

/** Response to an API call that returns just an Id */
export interface IDResponse {
  /** The id of the newly created object. */
  Id: string;
}

/** NetworkConnectRequest represents the data to be used to connect a container to a network. */
export interface NetworkConnectRequest {
  /** The ID or name of the container to connect to the network. */
  Container: string;
  EndpointConfig?: EndpointSettings | null;
}

/** NetworkDisconnectRequest represents the data to be used to disconnect a container from a network. */
export interface NetworkDisconnectRequest {
  /** The ID or name of the container to disconnect from the network. */
  Container: string;
  /** Force the container to disconnect from the network. */
  Force?: boolean;
}

/** Configuration for a network endpoint. */
export interface EndpointSettings {
  IPAMConfig?: EndpointIPAMConfig;
  Links?: string[];
  /** MAC address for the endpoint on this network. The network driver might ignore this parameter. */
  MacAddress?: string;
  Aliases?: string[];
  /**
   * DriverOpts is a mapping of driver options and values. These options
   * are passed directly to the driver and are driver specific.
   */
  DriverOpts?: Record<string, string> | null;
  /**
   * This property determines which endpoint will provide the default
   * gateway for a container. The endpoint with the highest priority will
   * be used. If multiple endpoints have the same priority, endpoints are
   * lexicographically sorted based on their network name, and the one
   * that sorts first is picked.
   */
  GwPriority?: number;
  /** Unique ID of the network. */
  NetworkID?: string;
  /** Unique ID for the service endpoint in a Sandbox. */
  EndpointID?: string;
  /** Gateway address for this network. */
  Gateway?: string;
  /** IPv4 address. */
  IPAddress?: string;
  /** Mask length of the IPv4 address. */
  IPPrefixLen?: number;
  /** IPv6 gateway address. */
  IPv6Gateway?: string;
  /** Global IPv6 address. */
  GlobalIPv6Address?: string;
  /** Mask length of the global IPv6 address. */
  GlobalIPv6PrefixLen?: number;
  /**
   * List of all DNS names an endpoint has on a specific network. This
   * list is based on the container name, network aliases, container short
   * ID, and hostname.
   */
  DNSNames?: string[];
}

/** EndpointIPAMConfig represents an endpoint's IPAM configuration. */
export type EndpointIPAMConfig = {
  IPv4Address?: string;
  IPv6Address?: string;
  LinkLocalIPs?: string[];
} | null;

export interface PluginMount {
  Name: string;
  Description: string;
  Settable: string[];
  Source: string;
  Destination: string;
  Type: string;
  Options: string[];
}

export interface PluginDevice {
  Name: string;
  Description: string;
  Settable: string[];
  Path: string;
}

export interface PluginEnv {
  Name: string;
  Description: string;
  Settable: string[];
  Value: string;
}

/**
 * Describes a permission the user has to accept upon installing
 * the plugin.
 */
export interface PluginPrivilege {
  Name?: string;
  Description?: string;
  Value?: string[];
}

/** A plugin for the Engine API */
export interface Plugin {
  Id?: string;
  Name: string;
  /** True if the plugin is running. False if the plugin is not running, only installed. */
  Enabled: boolean;
  /** user-configurable settings for the plugin. */
  Settings: {
    Mounts: PluginMount[];
    Env: string[];
    Args: string[];
    Devices: PluginDevice[];
  };
  /** plugin remote reference used to push/pull the plugin */
  PluginReference?: string;
  /** The config of a plugin. */
  Config: {
    Description: string;
    Documentation: string;
    /** The interface between Docker and the plugin */
    Interface: {
      Types: string[];
      Socket: string;
      /** Protocol to use for clients connecting to the plugin. */
      ProtocolScheme?: "" | "moby.plugins.http/v1";
    };
    Entrypoint: string[];
    WorkDir: string;
    User?: {
      UID?: number;
      GID?: number;
    };
    Network: {
      Type: string;
    };
    Linux: {
      Capabilities: string[];
      AllowAllDevices: boolean;
      Devices: PluginDevice[];
    };
    PropagatedMount: string;
    IpcHost: boolean;
    PidHost: boolean;
    Mounts: PluginMount[];
    Env: PluginEnv[];
    Args: {
      Name: string;
      Description: string;
      Settable: string[];
      Value: string[];
    };
    rootfs?: {
      type?: string;
      diff_ids?: string[];
    };
  };
}

/**
 * The version number of the object such as node, service, etc. This is needed
 * to avoid conflicting writes. The client must send the version number along
 * with the modified specification when updating these objects.
 */
export interface ObjectVersion {
  Index?: number;
}

export interface NodeSpec {
  /** Name for the node. */
  Name?: string;
  /** User-defined key/value metadata. */
  Labels?: Record<string, string>;
  /** Role of the node. */
  Role?: "worker" | "manager";
  /** Availability of the node. */
  Availability?: "active" | "pause" | "drain";
}

export interface Node {
  ID?: string;
  Version?: ObjectVersion;
  /**
   * Date and time at which the node was added to the swarm in
   * [RFC 3339](https://www.ietf.org/rfc/rfc3339.txt) format with nano-seconds.
   */
  CreatedAt?: string;
  /**
   * Date and time at which the node was last updated in
   * [RFC 3339](https://www.ietf.org/rfc/rfc3339.txt) format with nano-seconds.
   */
  UpdatedAt?: string;
  Spec?: NodeSpec;
  Description?: NodeDescription;
  Status?: NodeStatus;
  ManagerStatus?: ManagerStatus;
}

/**
 * NodeDescription encapsulates the properties of the Node as reported by the
 * agent.
 */
export interface NodeDescription {
  Hostname?: string;
  Platform?: Platform;
  Resources?: ResourceObject;
  Engine?: EngineDescription;
  TLSInfo?: TLSInfo;
}

/** Platform represents the platform (Arch/OS). */
export interface Platform {
  /**
   * Architecture represents the hardware architecture (for example,
   * `x86_64`).
   */
  Architecture?: string;
  /** OS represents the Operating System (for example, `linux` or `windows`). */
  OS?: string;
}

/** EngineDescription provides information about an engine. */
export interface EngineDescription {
  EngineVersion?: string;
  Labels?: Record<string, string>;
  Plugins?: {
    Type?: string;
    Name?: string;
  }[];
}

/**
 * Information about the issuer of leaf TLS certificates and the trusted root
 * CA certificate.
 */
export interface TLSInfo {
  /**
   * The root CA certificate(s) that are used to validate leaf TLS
   * certificates.
   */
  TrustRoot?: string;
  /** The base64-url-safe-encoded raw subject bytes of the issuer. */
  CertIssuerSubject?: string;
  /** The base64-url-safe-encoded raw public key bytes of the issuer. */
  CertIssuerPublicKey?: string;
}

/** NodeStatus represents the status of a node. */
export interface NodeStatus {
  State?: NodeState;
  Message?: string;
  /** IP address of the node. */
  Addr?: string;
}

/** NodeState represents the state of a node. */
export type NodeState = "unknown" | "down" | "ready" | "disconnected";

/** ManagerStatus represents the status of a manager. */
export type ManagerStatus = {
  Leader?: boolean;
  Reachability?: Reachability;
  /** The IP address and port at which the manager is reachable. */
  Addr?: string;
} | null;

/** Reachability represents the reachability of a node. */
export type Reachability = "unknown" | "unreachable" | "reachable";

/** User modifiable swarm configuration. */
export interface SwarmSpec {
  /** Name of the swarm. */
  Name?: string;
  /** User-defined key/value metadata. */
  Labels?: Record<string, string>;
  /** Orchestration configuration. */
  Orchestration?: {
    /**
     * The number of historic tasks to keep per instance or node. If
     * negative, never remove completed or failed tasks.
     */
    TaskHistoryRetentionLimit?: number;
  } | null;
  /** Raft configuration. */
  Raft?: {
    /** The number of log entries between snapshots. */
    SnapshotInterval?: number;
    /** The number of snapshots to keep beyond the current snapshot. */
    KeepOldSnapshots?: number;
    /**
     * The number of log entries to keep around to sync up slow followers
     * after a snapshot is created.
     */
    LogEntriesForSlowFollowers?: number;
    /**
     * The number of ticks that a follower will wait for a message from
     * the leader before becoming a candidate and starting an election.
     * `ElectionTick` must be greater than `HeartbeatTick`.
     */
    ElectionTick?: number;
    /**
     * The number of ticks between heartbeats. Every HeartbeatTick ticks,
     * the leader will send a heartbeat to the followers.
     */
    HeartbeatTick?: number;
  };
  /** Dispatcher configuration. */
  Dispatcher?: {
    /** The delay for an agent to send a heartbeat to the dispatcher. */
    HeartbeatPeriod?: number;
  } | null;
  /** CA configuration. */
  CAConfig?: {
    /** The duration node certificates are issued for. */
    NodeCertExpiry?: number;
    /**
     * Configuration for forwarding signing requests to an external
     * certificate authority.
     */
    ExternalCAs?: {
      /**
       * Protocol for communication with the external CA (currently
       * only `cfssl` is supported).
       */
      Protocol?: "cfssl";
      /** URL where certificate signing requests should be sent. */
      URL?: string;
      /**
       * An object with key/value pairs that are interpreted as
       * protocol-specific options for the external CA driver.
       */
      Options?: Record<string, string>;
      /**
       * The root CA certificate (in PEM format) this external CA uses
       * to issue TLS certificates (assumed to be to the current swarm
       * root CA certificate if not provided).
       */
      CACert?: string;
    }[];
    /**
     * The desired signing CA certificate for all swarm node TLS leaf
     * certificates, in PEM format.
     */
    SigningCACert?: string;
    /**
     * The desired signing CA key for all swarm node TLS leaf certificates,
     * in PEM format.
     */
    SigningCAKey?: string;
    /**
     * An integer whose purpose is to force swarm to generate a new
     * signing CA certificate and key, if none have been specified in
     * `SigningCACert` and `SigningCAKey`
     */
    ForceRotate?: number;
  } | null;
  /** Parameters related to encryption-at-rest. */
  EncryptionConfig?: {
    /**
     * If set, generate a key and use it to lock data stored on the
     * managers.
     */
    AutoLockManagers?: boolean;
  };
  /** Defaults for creating tasks in this cluster. */
  TaskDefaults?: {
    /**
     * The log driver to use for tasks created in the orchestrator if
     * unspecified by a service.
     */
    LogDriver?: {
      /** The log driver to use as a default for new tasks. */
      Name?: string;
      /**
       * Driver-specific options for the selected log driver, specified
       * as key/value pairs.
       */
      Options?: Record<string, string>;
    };
  };
}

/**
 * ClusterInfo represents information about the swarm as is returned by the
 * "/info" endpoint. Join-tokens are not included.
 */
export type ClusterInfo = {
  /** The ID of the swarm. */
  ID?: string;
  Version?: ObjectVersion;
  /**
   * Date and time at which the swarm was initialised in
   * [RFC 3339](https://www.ietf.org/rfc/rfc3339.txt) format with nano-seconds.
   */
  CreatedAt?: string;
  /**
   * Date and time at which the swarm was last updated in
   * [RFC 3339](https://www.ietf.org/rfc/rfc3339.txt) format with nano-seconds.
   */
  UpdatedAt?: string;
  Spec?: SwarmSpec;
  TLSInfo?: TLSInfo;
  /** Whether there is currently a root CA rotation in progress for the swarm */
  RootRotationInProgress?: boolean;
  /**
   * DataPathPort specifies the data path port number for data traffic.
   * Acceptable port range is 1024 to 49151.
   * If no port is set or is set to 0, the default port (4789) is used.
   */
  DataPathPort?: number;
  /**
   * Default Address Pool specifies default subnet pools for global scope
   * networks.
   */
  DefaultAddrPool?: string[];
  /**
   * SubnetSize specifies the subnet size of the networks created from the
   * default subnet pool.
   */
  SubnetSize?: number;
} | null;

/** JoinTokens contains the tokens workers and managers need to join the swarm. */
export interface JoinTokens {
  /** The token workers can use to join the swarm. */
  Worker?: string;
  /** The token managers can use to join the swarm. */
  Manager?: string;
}

export type Swarm = ClusterInfo & {
  JoinTokens?: JoinTokens;
};

/** User modifiable task configuration. */
export interface TaskSpec {
  /** Plugin spec for the service.  *(Experimental release only.)* */
  PluginSpec?: {
    /** The name or 'alias' to use for the plugin. */
    Name?: string;
    /** The plugin image reference to use. */
    Remote?: string;
    /** Disable the plugin once scheduled. */
    Disabled?: boolean;
    PluginPrivilege?: PluginPrivilege[];
  };
  /** Container spec for the service. */
  ContainerSpec?: {
    /** The image name to use for the container */
    Image?: string;
    /** User-defined key/value data. */
    Labels?: Record<string, string>;
    /** The command to be run in the image. */
    Command?: string[];
    /** Arguments to the command. */
    Args?: string[];
    /**
     * The hostname to use for the container, as a valid
     * [RFC 1123](https://tools.ietf.org/html/rfc1123) hostname.
     */
    Hostname?: string;
    /** A list of environment variables in the form `VAR=value`. */
    Env?: string[];
    /** The working directory for commands to run in. */
    Dir?: string;
    /** The user inside the container. */
    User?: string;
    /** A list of additional groups that the container process will run as. */
    Groups?: string[];
    /** Security options for the container */
    Privileges?: {
      /** CredentialSpec for managed service account (Windows only) */
      CredentialSpec?: {
        /**
         * Load credential spec from a Swarm Config with the given ID.
         * The specified config must also be present in the Configs
         * field with the Runtime property set.
         */
        Config?: string;
        /**
         * Load credential spec from this file. The file is read by
         * the daemon, and must be present in the `CredentialSpecs`
         * subdirectory in the docker data directory, which defaults
         * to `C:\ProgramData\Docker\` on Windows.
         */
        File?: string;
        /**
         * Load credential spec from this value in the Windows
         * registry. The specified registry value must be located in:
         */
        Registry?: string;
      };
      /** SELinux labels of the container */
      SELinuxContext?: {
        /** Disable SELinux */
        Disable?: boolean;
        /** SELinux user label */
        User?: string;
        /** SELinux role label */
        Role?: string;
        /** SELinux type label */
        Type?: string;
        /** SELinux level label */
        Level?: string;
      };
      /** Options for configuring seccomp on the container */
      Seccomp?: {
        Mode?: "default" | "unconfined" | "custom";
        /** The custom seccomp profile as a json object */
        Profile?: string;
      };
      /** Options for configuring AppArmor on the container */
      AppArmor?: {
        Mode?: "default" | "disabled";
      };
      /** Configuration of the no_new_privs bit in the container */
      NoNewPrivileges?: boolean;
    };
    /** Whether a pseudo-TTY should be allocated. */
    TTY?: boolean;
    /** Open `stdin` */
    OpenStdin?: boolean;
    /** Mount the container's root filesystem as read only. */
    ReadOnly?: boolean;
    /**
     * Specification for mounts to be added to containers created as part
     * of the service.
     */
    Mounts?: Mount[];
    /** Signal to stop the container. */
    StopSignal?: string;
    /**
     * Amount of time to wait for the container to terminate before
     * forcefully killing it.
     */
    StopGracePeriod?: number;
    HealthCheck?: HealthConfig;
    /**
     * A list of hostname/IP mappings to add to the container's `hosts`
     * file. The format of extra hosts is specified in the
     * [hosts(5)](http://man7.org/linux/man-pages/man5/hosts.5.html)
     * man page:
     */
    Hosts?: string[];
    /**
     * Specification for DNS related configurations in resolver configuration
     * file (`resolv.conf`).
     */
    DNSConfig?: {
      /** The IP addresses of the name servers. */
      Nameservers?: string[];
      /** A search list for host-name lookup. */
      Search?: string[];
      /**
       * A list of internal resolver variables to be modified (e.g.,
       * `debug`, `ndots:3`, etc.).
       */
      Options?: string[];
    };
    /**
     * Secrets contains references to zero or more secrets that will be
     * exposed to the service.
     */
    Secrets?: {
      /** File represents a specific target that is backed by a file. */
      File?: {
        /** Name represents the final filename in the filesystem. */
        Name?: string;
        /** UID represents the file UID. */
        UID?: string;
        /** GID represents the file GID. */
        GID?: string;
        /** Mode represents the FileMode of the file. */
        Mode?: number;
      };
      /**
       * SecretID represents the ID of the specific secret that we're
       * referencing.
       */
      SecretID?: string;
      /**
       * SecretName is the name of the secret that this references,
       * but this is just provided for lookup/display purposes. The
       * secret in the reference will be identified by its ID.
       */
      SecretName?: string;
    }[];
    /**
     * An integer value containing the score given to the container in
     * order to tune OOM killer preferences.
     */
    OomScoreAdj?: number;
    /**
     * Configs contains references to zero or more configs that will be
     * exposed to the service.
     */
    Configs?: {
      /** File represents a specific target that is backed by a file. */
      File?: {
        /** Name represents the final filename in the filesystem. */
        Name?: string;
        /** UID represents the file UID. */
        UID?: string;
        /** GID represents the file GID. */
        GID?: string;
        /** Mode represents the FileMode of the file. */
        Mode?: number;
      };
      /**
       * Runtime represents a target that is not mounted into the
       * container but is used by the task
       */
      Runtime?: Record<string, unknown>;
      /**
       * ConfigID represents the ID of the specific config that we're
       * referencing.
       */
      ConfigID?: string;
      /**
       * ConfigName is the name of the config that this references,
       * but this is just provided for lookup/display purposes. The
       * config in the reference will be identified by its ID.
       */
      ConfigName?: string;
    }[];
    /**
     * Isolation technology of the containers running the service.
     * (Windows only)
     */
    Isolation?: "default" | "process" | "hyperv" | "";
    /**
     * Run an init inside the container that forwards signals and reaps
     * processes. This field is omitted if empty, and the default (as
     * configured on the daemon) is used.
     */
    Init?: boolean | null;
    /**
     * Set kernel namedspaced parameters (sysctls) in the container.
     * The Sysctls option on services accepts the same sysctls as the
     * are supported on containers. Note that while the same sysctls are
     * supported, no guarantees or checks are made about their
     * suitability for a clustered environment, and it's up to the user
     * to determine whether a given sysctl will work properly in a
     * Service.
     */
    Sysctls?: Record<string, string>;
    /**
     * A list of kernel capabilities to add to the default set
     * for the container.
     */
    CapabilityAdd?: string[];
    /**
     * A list of kernel capabilities to drop from the default set
     * for the container.
     */
    CapabilityDrop?: string[];
    /** A list of resource limits to set in the container. For example: `{"Name": "nofile", "Soft": 1024, "Hard": 2048}`" */
    Ulimits?: {
      /** Name of ulimit */
      Name?: string;
      /** Soft limit */
      Soft?: number;
      /** Hard limit */
      Hard?: number;
    }[];
  };
  /**
   * Read-only spec type for non-swarm containers attached to swarm overlay
   * networks.
   */
  NetworkAttachmentSpec?: {
    /** ID of the container represented by this task */
    ContainerID?: string;
  };
  /**
   * Resource requirements which apply to each individual container created
   * as part of the service.
   */
  Resources?: {
    /** Define resources limits. */
    Limits?: Limit;
    /** Define resources reservation. */
    Reservations?: ResourceObject;
    /**
     * Amount of swap in bytes - can only be used together with a memory limit.
     * If not specified, the default behaviour is to grant a swap space twice
     * as big as the memory limit.
     * Set to -1 to enable unlimited swap.
     */
    SwapBytes?: number | null;
    /**
     * Tune the service's containers' memory swappiness (0 to 100).
     * If not specified, defaults to the containers' OS' default, generally 60,
     * or whatever value was predefined in the image.
     * Set to -1 to unset a previously set value.
     */
    MemorySwappiness?: number | null;
  };
  /**
   * Specification for the restart policy which applies to containers
   * created as part of this service.
   */
  RestartPolicy?: {
    /** Condition for restart. */
    Condition?: "none" | "on-failure" | "any";
    /** Delay between restart attempts. */
    Delay?: number;
    /**
     * Maximum attempts to restart a given container before giving up
     * (default value is 0, which is ignored).
     */
    MaxAttempts?: number;
    /**
     * Windows is the time window used to evaluate the restart policy
     * (default value is 0, which is unbounded).
     */
    Window?: number;
  };
  Placement?: {
    /**
     * An array of constraint expressions to limit the set of nodes where
     * a task can be scheduled. Constraint expressions can either use a
     * _match_ (`==`) or _exclude_ (`!=`) rule. Multiple constraints find
     * nodes that satisfy every expression (AND match). Constraints can
     * match node or Docker Engine labels as follows:
     */
    Constraints?: string[];
    /**
     * Preferences provide a way to make the scheduler aware of factors
     * such as topology. They are provided in order from highest to
     * lowest precedence.
     */
    Preferences?: {
      Spread?: {
        /** label descriptor, such as `engine.labels.az`. */
        SpreadDescriptor?: string;
      };
    }[];
    /**
     * Maximum number of replicas for per node (default value is 0, which
     * is unlimited)
     */
    MaxReplicas?: number;
    /**
     * Platforms stores all the platforms that the service's image can
     * run on. This field is used in the platform filter for scheduling.
     * If empty, then the platform filter is off, meaning there are no
     * scheduling restrictions.
     */
    Platforms?: Platform[];
  };
  /**
   * A counter that triggers an update even if no relevant parameters have
   * been changed.
   */
  ForceUpdate?: number;
  /** Runtime is the type of runtime specified for the task executor. */
  Runtime?: string;
  /** Specifies which networks the service should attach to. */
  Networks?: NetworkAttachmentConfig[];
  /**
   * Specifies the log driver to use for tasks created from this spec. If
   * not present, the default one for the swarm will be used, finally
   * falling back to the engine default if not specified.
   */
  LogDriver?: {
    Name?: string;
    Options?: Record<string, string>;
  };
}

export type TaskState = "new" | "allocated" | "pending" | "assigned" | "accepted" | "preparing" | "ready" | "starting" | "running" | "complete" | "shutdown" | "failed" | "rejected" | "remove" | "orphaned";

/** represents the status of a container. */
export interface ContainerStatus {
  ContainerID?: string;
  PID?: number;
  ExitCode?: number;
}

/** represents the port status of a task's host ports whose service has published host ports */
export interface PortStatus {
  Ports?: EndpointPortConfig[];
}

/** represents the status of a task. */
export interface TaskStatus {
  Timestamp?: string;
  State?: TaskState;
  Message?: string;
  Err?: string;
  ContainerStatus?: ContainerStatus;
  PortStatus?: PortStatus;
}

/**
 * Specifies how a task is attached to a network, and the addresses the
 * task was assigned on that network.
 */
export interface NetworkAttachment {
  Network?: Network;
  /**
   * The IP addresses (in CIDR notation) assigned to the task on this
   * network. To maintain backward compatibility this field accepts CIDR
   * notation, but only the IP address is used.
   */
  Addresses?: string[];
}

export interface Task {
  /** The ID of the task. */
  ID?: string;
  Version?: ObjectVersion;
  CreatedAt?: string;
  UpdatedAt?: string;
  /** Name of the task. */
  Name?: string;
  /** User-defined key/value metadata. */
  Labels?: Record<string, string>;
  Spec?: TaskSpec;
  /** The ID of the service this task is part of. */
  ServiceID?: string;
  Slot?: number;
  /** The ID of the node that this task is on. */
  NodeID?: string;
  AssignedGenericResources?: GenericResources;
  Status?: TaskStatus;
  DesiredState?: TaskState;
  /**
   * If the Service this Task belongs to is a job-mode service, contains
   * the JobIteration of the Service this Task was created for. Absent if
   * the Task was created for a Replicated or Global Service.
   */
  JobIteration?: ObjectVersion;
  /**
   * The networks that this task is attached to, and the addresses the
   * task was assigned on each of them.
   */
  NetworksAttachments?: NetworkAttachment[];
}

/** User modifiable configuration for a service. */
export interface ServiceSpec {
  /** Name of the service. */
  Name?: string;
  /** User-defined key/value metadata. */
  Labels?: Record<string, string>;
  TaskTemplate?: TaskSpec;
  /** Scheduling mode for the service. */
  Mode?: {
    Replicated?: {
      Replicas?: number;
    };
    Global?: Record<string, unknown>;
    /**
     * The mode used for services with a finite number of tasks that run
     * to a completed state.
     */
    ReplicatedJob?: {
      /** The maximum number of replicas to run simultaneously. */
      MaxConcurrent?: number;
      /**
       * The total number of replicas desired to reach the Completed
       * state. If unset, will default to the value of `MaxConcurrent`
       */
      TotalCompletions?: number;
    };
    /**
     * The mode used for services which run a task to the completed state
     * on each valid node.
     */
    GlobalJob?: Record<string, unknown>;
  };
  /** Specification for the update strategy of the service. */
  UpdateConfig?: {
    /**
     * Maximum number of tasks to be updated in one iteration (0 means
     * unlimited parallelism).
     */
    Parallelism?: number;
    /** Amount of time between updates, in nanoseconds. */
    Delay?: number;
    /**
     * Action to take if an updated task fails to run, or stops running
     * during the update.
     */
    FailureAction?: "continue" | "pause" | "rollback";
    /**
     * Amount of time to monitor each updated task for failures, in
     * nanoseconds.
     */
    Monitor?: number;
    /**
     * The fraction of tasks that may fail during an update before the
     * failure action is invoked, specified as a floating point number
     * between 0 and 1.
     */
    MaxFailureRatio?: number;
    /**
     * The order of operations when rolling out an updated task. Either
     * the old task is shut down before the new task is started, or the
     * new task is started before the old task is shut down.
     */
    Order?: "stop-first" | "start-first";
  };
  /** Specification for the rollback strategy of the service. */
  RollbackConfig?: {
    /**
     * Maximum number of tasks to be rolled back in one iteration (0 means
     * unlimited parallelism).
     */
    Parallelism?: number;
    /** Amount of time between rollback iterations, in nanoseconds. */
    Delay?: number;
    /**
     * Action to take if an rolled back task fails to run, or stops
     * running during the rollback.
     */
    FailureAction?: "continue" | "pause";
    /**
     * Amount of time to monitor each rolled back task for failures, in
     * nanoseconds.
     */
    Monitor?: number;
    /**
     * The fraction of tasks that may fail during a rollback before the
     * failure action is invoked, specified as a floating point number
     * between 0 and 1.
     */
    MaxFailureRatio?: number;
    /**
     * The order of operations when rolling back a task. Either the old
     * task is shut down before the new task is started, or the new task
     * is started before the old task is shut down.
     */
    Order?: "stop-first" | "start-first";
  };
  /** Specifies which networks the service should attach to. */
  Networks?: NetworkAttachmentConfig[];
  EndpointSpec?: EndpointSpec;
}

export interface EndpointPortConfig {
  Name?: string;
  Protocol?: "tcp" | "udp" | "sctp";
  /** The port inside the container. */
  TargetPort?: number;
  /** The port on the swarm hosts. */
  PublishedPort?: number;
  /** The mode in which port is published. */
  PublishMode?: "ingress" | "host";
}

/** Properties that can be configured to access and load balance a service. */
export interface EndpointSpec {
  /** The mode of resolution to use for internal load balancing between tasks. */
  Mode?: "vip" | "dnsrr";
  /**
   * List of exposed ports that this service is accessible on from the
   * outside. Ports can only be provided if `vip` resolution mode is used.
   */
  Ports?: EndpointPortConfig[];
}

export interface Service {
  ID?: string;
  Version?: ObjectVersion;
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec?: ServiceSpec;
  Endpoint?: {
    Spec?: EndpointSpec;
    Ports?: EndpointPortConfig[];
    VirtualIPs?: {
      NetworkID?: string;
      Addr?: string;
    }[];
  };
  /** The status of a service update. */
  UpdateStatus?: {
    State?: "updating" | "paused" | "completed";
    StartedAt?: string;
    CompletedAt?: string;
    Message?: string;
  };
  /**
   * The status of the service's tasks. Provided only when requested as
   * part of a ServiceList operation.
   */
  ServiceStatus?: {
    /** The number of tasks for the service currently in the Running state. */
    RunningTasks?: number;
    /**
     * The number of tasks for the service desired to be running.
     * For replicated services, this is the replica count from the
     * service spec. For global services, this is computed by taking
     * count of all tasks for the service with a Desired State other
     * than Shutdown.
     */
    DesiredTasks?: number;
    /**
     * The number of tasks for a job that are in the Completed state.
     * This field must be cross-referenced with the service type, as the
     * value of 0 may mean the service is not in a job mode, or it may
     * mean the job-mode service has no tasks yet Completed.
     */
    CompletedTasks?: number;
  };
  /**
   * The status of the service when it is in one of ReplicatedJob or
   * GlobalJob modes. Absent on Replicated and Global mode services. The
   * JobIteration is an ObjectVersion, but unlike the Service's version,
   * does not need to be sent with an update request.
   */
  JobStatus?: {
    /**
     * JobIteration is a value increased each time a Job is executed,
     * successfully or otherwise. "Executed", in this case, means the
     * job as a whole has been started, not that an individual Task has
     * been launched. A job is "Executed" when its ServiceSpec is
     * updated. JobIteration can be used to disambiguate Tasks belonging
     * to different executions of a job.  Though JobIteration will
     * increase with each subsequent execution, it may not necessarily
     * increase by 1, and so JobIteration should not be used to
     */
    JobIteration?: ObjectVersion;
    /**
     * The last time, as observed by the server, that this job was
     * started.
     */
    LastExecution?: string;
  };
}

export interface ImageDeleteResponseItem {
  /** The image ID of an image that was untagged */
  Untagged?: string;
  /** The image ID of an image that was deleted */
  Deleted?: string;
}

/**
 * contains the information returned to a client on the
 * creation of a new service.
 */
export interface ServiceCreateResponse {
  /** The ID of the created service. */
  ID?: string;
  /** Optional warning message. */
  Warnings?: string[] | null;
}

export interface ServiceUpdateResponse {
  /** Optional warning messages */
  Warnings?: string[];
}

export interface ContainerInspectResponse {
  /** The ID of this container as a 128-bit (64-character) hexadecimal string (32 bytes). */
  Id?: string;
  /**
   * Date and time at which the container was created, formatted in
   * [RFC 3339](https://www.ietf.org/rfc/rfc3339.txt) format with nano-seconds.
   */
  Created?: string | null;
  /** The path to the command being run */
  Path?: string;
  /** The arguments to the command being run */
  Args?: string[];
  State?: ContainerState;
  /** The ID (digest) of the image that this container was created from. */
  Image?: string;
  /**
   * Location of the `/etc/resolv.conf` generated for the container on the
   * host.
   */
  ResolvConfPath?: string;
  /**
   * Location of the `/etc/hostname` generated for the container on the
   * host.
   */
  HostnamePath?: string;
  /**
   * Location of the `/etc/hosts` generated for the container on the
   * host.
   */
  HostsPath?: string;
  /**
   * Location of the file used to buffer the container's logs. Depending on
   * the logging-driver used for the container, this field may be omitted.
   */
  LogPath?: string | null;
  /** The name associated with this container. */
  Name?: string;
  /**
   * Number of times the container was restarted since it was created,
   * or since daemon was started.
   */
  RestartCount?: number;
  /**
   * The storage-driver used for the container's filesystem (graph-driver
   * or snapshotter).
   */
  Driver?: string;
  /** The platform (operating system) for which the container was created. */
  Platform?: string;
  /**
   * OCI descriptor of the platform-specific manifest of the image
   * the container was created from.
   */
  ImageManifestDescriptor?: OCIDescriptor;
  /** SELinux mount label set for the container. */
  MountLabel?: string;
  /** SELinux process label set for the container. */
  ProcessLabel?: string;
  /** The AppArmor profile set for the container. */
  AppArmorProfile?: string;
  /** IDs of exec instances that are running in the container. */
  ExecIDs?: string[] | null;
  HostConfig?: HostConfig;
  GraphDriver?: DriverData | null;
  Storage?: Storage | null;
  /** The size of files that have been created or changed by this container. */
  SizeRw?: number | null;
  /**
   * The total size of all files in the read-only layers from the image
   * that the container uses. These layers can be shared between containers.
   */
  SizeRootFs?: number | null;
  /** List of mounts used by the container. */
  Mounts?: MountPoint[];
  Config?: ContainerConfig;
  NetworkSettings?: NetworkSettings;
}

export interface ContainerSummary {
  /** The ID of this container as a 128-bit (64-character) hexadecimal string (32 bytes). */
  Id?: string;
  /**
   * The names associated with this container. Most containers have a single
   * name, but when using legacy "links", the container can have multiple
   * names.
   */
  Names?: string[];
  /** The name or ID of the image used to create the container. */
  Image?: string;
  /** The ID (digest) of the image that this container was created from. */
  ImageID?: string;
  /**
   * OCI descriptor of the platform-specific manifest of the image
   * the container was created from.
   */
  ImageManifestDescriptor?: OCIDescriptor | null;
  /** Command to run when starting the container */
  Command?: string;
  /**
   * Date and time at which the container was created as a Unix timestamp
   * (number of seconds since EPOCH).
   */
  Created?: number;
  /** Port-mappings for the container. */
  Ports?: PortSummary[];
  /** The size of files that have been created or changed by this container. */
  SizeRw?: number | null;
  /**
   * The total size of all files in the read-only layers from the image
   * that the container uses. These layers can be shared between containers.
   */
  SizeRootFs?: number | null;
  /** User-defined key/value metadata. */
  Labels?: Record<string, string>;
  /** The state of this container. */
  State?: "created" | "running" | "paused" | "restarting" | "exited" | "removing" | "dead";
  /** Additional human-readable status of this container (e.g. `Exit 0`) */
  Status?: string;
  /**
   * Summary of host-specific runtime information of the container. This
   * is a reduced set of information in the container's "HostConfig" as
   * available in the container "inspect" response.
   */
  HostConfig?: {
    /**
     * Networking mode (`host`, `none`, `container:<id>`) or name of the
     * primary network the container is using.
     */
    NetworkMode?: string;
    /** Arbitrary key-value metadata attached to the container. */
    Annotations?: Record<string, string> | null;
  };
  /** Summary of the container's network settings */
  NetworkSettings?: {
    /**
     * Summary of network-settings for each network the container is
     * attached to.
     */
    Networks?: Record<string, EndpointSettings>;
  };
  /** List of mounts used by the container. */
  Mounts?: MountPoint[];
  /** Summary of health status */
  Health?: {
    /** the health status of the container */
    Status?: "none" | "starting" | "healthy" | "unhealthy";
    /** FailingStreak is the number of consecutive failures */
    FailingStreak?: number;
  };
}

/** represents system data usage information for container resources. */
export interface ContainersDiskUsage {
  /** Count of active containers. */
  ActiveCount?: number;
  /** Count of all containers. */
  TotalCount?: number;
  /** Disk space that can be reclaimed by removing inactive containers. */
  Reclaimable?: number;
  /** Disk space in use by containers. */
  TotalSize?: number;
  /** List of container summaries. */
  Items?: unknown[];
}

/** Driver represents a driver (network, logging, secrets). */
export interface Driver {
  /** Name of the driver. */
  Name: string;
  /** Key/value map of driver-specific options. */
  Options?: Record<string, string>;
}

export interface SecretSpec {
  /** User-defined name of the secret. */
  Name?: string;
  /** User-defined key/value metadata. */
  Labels?: Record<string, string>;
  /**
   * Data is the data to store as a secret, formatted as a standard base64-encoded
   * ([RFC 4648](https://tools.ietf.org/html/rfc4648#section-4)) string.
   * It must be empty if the Driver field is set, in which case the data is
   * loaded from an external secret store. The maximum allowed size is 500KB,
   * as defined in [MaxSecretSize](https://pkg.go.dev/github.com/moby/swarmkit/v2@v2.0.0/api/validation#MaxSecretSize).
   */
  Data?: string;
  /**
   * Name of the secrets driver used to fetch the secret's value from an
   * external secret store.
   */
  Driver?: Driver;
  /** Templating driver, if applicable */
  Templating?: Driver;
}

export interface Secret {
  ID?: string;
  Version?: ObjectVersion;
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec?: SecretSpec;
}

export interface ConfigSpec {
  /** User-defined name of the config. */
  Name?: string;
  /** User-defined key/value metadata. */
  Labels?: Record<string, string>;
  /**
   * Data is the data to store as a config, formatted as a standard base64-encoded
   * ([RFC 4648](https://tools.ietf.org/html/rfc4648#section-4)) string.
   * The maximum allowed size is 1000KB, as defined in [MaxConfigSize](https://pkg.go.dev/github.com/moby/swarmkit/v2@v2.0.0-20250103191802-8c1959736554/manager/controlapi#MaxConfigSize).
   */
  Data?: string;
  /** Templating driver, if applicable */
  Templating?: Driver;
}

export interface Config {
  ID?: string;
  Version?: ObjectVersion;
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec?: ConfigSpec;
}

/**
 * ContainerState stores container's running state. It's part of ContainerJSONBase
 * and will be returned by the "inspect" command.
 */
export type ContainerState = {
  /**
   * String representation of the container state. Can be one of "created",
   * "running", "paused", "restarting", "removing", "exited", or "dead".
   */
  Status?: "created" | "running" | "paused" | "restarting" | "removing" | "exited" | "dead";
  /** Whether this container is running. */
  Running?: boolean;
  /** Whether this container is paused. */
  Paused?: boolean;
  /** Whether this container is restarting. */
  Restarting?: boolean;
  /**
   * Whether a process within this container has been killed because it ran
   * out of memory since the container was last started.
   */
  OOMKilled?: boolean;
  Dead?: boolean;
  /** The process ID of this container */
  Pid?: number;
  /** The last exit code of this container */
  ExitCode?: number;
  Error?: string;
  /** The time when this container was last started. */
  StartedAt?: string;
  /** The time when this container last exited. */
  FinishedAt?: string;
  Health?: Health;
} | null;

/** OK response to ContainerCreate operation */
export interface ContainerCreateResponse {
  /** The ID of the created container */
  Id: string;
  /** Warnings encountered when creating the container */
  Warnings: string[];
}

/** Response for a successful container-update. */
export interface ContainerUpdateResponse {
  /** Warnings encountered when updating the container. */
  Warnings?: string[];
}

/** Statistics sample for a container. */
export interface ContainerStatsResponse {
  /** ID of the container for which the stats were collected. */
  id?: string | null;
  /** Name of the container for which the stats were collected. */
  name?: string | null;
  /**
   * OSType is the OS of the container ("linux" or "windows") to allow
   * platform-specific handling of stats.
   */
  os_type?: string | null;
  /**
   * Date and time at which this sample was collected.
   * The value is formatted as [RFC 3339](https://www.ietf.org/rfc/rfc3339.txt)
   * with nano-seconds.
   */
  read?: string;
  cpu_stats?: ContainerCPUStats;
  memory_stats?: ContainerMemoryStats;
  /** Network statistics for the container per interface. */
  networks?: Record<string, ContainerNetworkStats> | null;
  pids_stats?: ContainerPidsStats;
  blkio_stats?: ContainerBlkioStats;
  /** The number of processors on the system. */
  num_procs?: number;
  storage_stats?: ContainerStorageStats;
  /**
   * Date and time at which this first sample was collected. This field
   * is not propagated if the "one-shot" option is set. If the "one-shot"
   * option is set, this field may be omitted, empty, or set to a default
   * date (`0001-01-01T00:00:00Z`).
   */
  preread?: string;
  precpu_stats?: ContainerCPUStats;
}

/** BlkioStats stores all IO service stats for data read and write. */
export type ContainerBlkioStats = {
  io_service_bytes_recursive?: ContainerBlkioStatEntry[];
  /**
   * This field is only available when using Linux containers with
   * cgroups v1. It is omitted or `null` when using cgroups v2.
   */
  io_serviced_recursive?: ContainerBlkioStatEntry[] | null;
  /**
   * This field is only available when using Linux containers with
   * cgroups v1. It is omitted or `null` when using cgroups v2.
   */
  io_queue_recursive?: ContainerBlkioStatEntry[] | null;
  /**
   * This field is only available when using Linux containers with
   * cgroups v1. It is omitted or `null` when using cgroups v2.
   */
  io_service_time_recursive?: ContainerBlkioStatEntry[] | null;
  /**
   * This field is only available when using Linux containers with
   * cgroups v1. It is omitted or `null` when using cgroups v2.
   */
  io_wait_time_recursive?: ContainerBlkioStatEntry[] | null;
  /**
   * This field is only available when using Linux containers with
   * cgroups v1. It is omitted or `null` when using cgroups v2.
   */
  io_merged_recursive?: ContainerBlkioStatEntry[] | null;
  /**
   * This field is only available when using Linux containers with
   * cgroups v1. It is omitted or `null` when using cgroups v2.
   */
  io_time_recursive?: ContainerBlkioStatEntry[] | null;
  /**
   * This field is only available when using Linux containers with
   * cgroups v1. It is omitted or `null` when using cgroups v2.
   */
  sectors_recursive?: ContainerBlkioStatEntry[] | null;
} | null;

/** Blkio stats entry. */
export type ContainerBlkioStatEntry = {
  major?: number;
  minor?: number;
  op?: string;
  value?: number;
} | null;

/** CPU related info of the container */
export type ContainerCPUStats = {
  cpu_usage?: ContainerCPUUsage;
  /** System Usage. */
  system_cpu_usage?: number | null;
  /** Number of online CPUs. */
  online_cpus?: number | null;
  throttling_data?: ContainerThrottlingData;
} | null;

/** All CPU stats aggregated since container inception. */
export type ContainerCPUUsage = {
  /** Total CPU time consumed in nanoseconds (Linux) or 100's of nanoseconds (Windows). */
  total_usage?: number;
  /** Total CPU time (in nanoseconds) consumed per core (Linux). */
  percpu_usage?: number[] | null;
  /**
   * Time (in nanoseconds) spent by tasks of the cgroup in kernel mode (Linux),
   * or time spent (in 100's of nanoseconds) by all container processes in
   * kernel mode (Windows).
   */
  usage_in_kernelmode?: number;
  /**
   * Time (in nanoseconds) spent by tasks of the cgroup in user mode (Linux),
   * or time spent (in 100's of nanoseconds) by all container processes in
   * kernel mode (Windows).
   */
  usage_in_usermode?: number;
} | null;

/** PidsStats contains Linux-specific stats of a container's process-IDs (PIDs). */
export type ContainerPidsStats = {
  /** Current is the number of PIDs in the cgroup. */
  current?: number | null;
  /**
   * Limit is the hard limit on the number of pids in the cgroup.
   * A "Limit" of 0 means that there is no limit.
   */
  limit?: number | null;
} | null;

/** CPU throttling stats of the container. */
export type ContainerThrottlingData = {
  /** Number of periods with throttling active. */
  periods?: number;
  /** Number of periods when the container hit its throttling limit. */
  throttled_periods?: number;
  /** Aggregated time (in nanoseconds) the container was throttled for. */
  throttled_time?: number;
} | null;

/**
 * Aggregates all memory stats since container inception on Linux.
 * Windows returns stats for commit and private working set only.
 */
export interface ContainerMemoryStats {
  /** Current `res_counter` usage for memory. */
  usage?: number | null;
  /** Maximum usage ever recorded. */
  max_usage?: number | null;
  /** All the stats exported via memory.stat. */
  stats?: Record<string, number | null>;
  /** Number of times memory usage hits limits. */
  failcnt?: number | null;
  /** This field is Linux-specific and omitted for Windows containers. */
  limit?: number | null;
  /** Committed bytes. */
  commitbytes?: number | null;
  /** Peak committed bytes. */
  commitpeakbytes?: number | null;
  /** Private working set. */
  privateworkingset?: number | null;
}

/** Aggregates the network stats of one container */
export type ContainerNetworkStats = {
  /** Bytes received. Windows and Linux. */
  rx_bytes?: number;
  /** Packets received. Windows and Linux. */
  rx_packets?: number;
  /** Received errors. Not used on Windows. */
  rx_errors?: number;
  /** Incoming packets dropped. Windows and Linux. */
  rx_dropped?: number;
  /** Bytes sent. Windows and Linux. */
  tx_bytes?: number;
  /** Packets sent. Windows and Linux. */
  tx_packets?: number;
  /** Sent errors. Not used on Windows. */
  tx_errors?: number;
  /** Outgoing packets dropped. Windows and Linux. */
  tx_dropped?: number;
  /** Endpoint ID. Not used on Linux. */
  endpoint_id?: string | null;
  /** Instance ID. Not used on Linux. */
  instance_id?: string | null;
} | null;

/** StorageStats is the disk I/O stats for read/write on Windows. */
export type ContainerStorageStats = {
  read_count_normalized?: number | null;
  read_size_bytes?: number | null;
  write_count_normalized?: number | null;
  write_size_bytes?: number | null;
} | null;

/** Container "top" response. */
export interface ContainerTopResponse {
  /** The ps column titles */
  Titles?: string[];
  /**
   * Each process running in the container, where each process
   * is an array of values corresponding to the titles.
   */
  Processes?: string[][];
}

/** OK response to ContainerWait operation */
export interface ContainerWaitResponse {
  /** Exit code of the container */
  StatusCode: number;
  Error?: ContainerWaitExitError;
}

/** container waiting error, if any */
export interface ContainerWaitExitError {
  /** Details of an error */
  Message?: string;
}

/** Response of Engine API: GET "/version" */
export interface SystemVersion {
  Platform?: {
    Name: string;
  };
  /** Information about system components */
  Components?: {
    /** Name of the component */
    Name: string;
    /** Version of the component */
    Version: string;
    /**
     * Key/value pairs of strings with additional information about the
     * component. These values are intended for informational purposes
     * only, and their content is not defined, and not part of the API
     * specification.
     */
    Details?: Record<string, unknown> | null;
  }[];
  /** The version of the daemon */
  Version?: string;
  /** The default (and highest) API version that is supported by the daemon */
  ApiVersion?: string;
  /** The minimum API version that is supported by the daemon */
  MinAPIVersion?: string;
  /** The Git commit of the source code that was used to build the daemon */
  GitCommit?: string;
  /**
   * The version Go used to compile the daemon, and the version of the Go
   * runtime in use.
   */
  GoVersion?: string;
  /** The operating system that the daemon is running on ("linux" or "windows") */
  Os?: string;
  /** Architecture of the daemon, as returned by the Go runtime (`GOARCH`). */
  Arch?: string;
  /** The kernel version (`uname -r`) that the daemon is running on. */
  KernelVersion?: string;
  /** Indicates if the daemon is started with experimental features enabled. */
  Experimental?: boolean;
  /** The date and time that the daemon was compiled. */
  BuildTime?: string;
}

export interface SystemInfo {
  /** Unique identifier of the daemon. */
  ID?: string;
  /** Total number of containers on the host. */
  Containers?: number;
  /** Number of containers with status `"running"`. */
  ContainersRunning?: number;
  /** Number of containers with status `"paused"`. */
  ContainersPaused?: number;
  /** Number of containers with status `"stopped"`. */
  ContainersStopped?: number;
  /** Total number of images on the host. */
  Images?: number;
  /** Name of the storage driver in use. */
  Driver?: string;
  /**
   * Information specific to the storage driver, provided as
   * "label" / "value" pairs.
   */
  DriverStatus?: string[][];
  /** Root directory of persistent Docker state. */
  DockerRootDir?: string;
  Plugins?: PluginsInfo;
  /** Indicates if the host has memory limit support enabled. */
  MemoryLimit?: boolean;
  /** Indicates if the host has memory swap limit support enabled. */
  SwapLimit?: boolean;
  /**
   * Indicates if CPU CFS(Completely Fair Scheduler) period is supported by
   * the host.
   */
  CpuCfsPeriod?: boolean;
  /**
   * Indicates if CPU CFS(Completely Fair Scheduler) quota is supported by
   * the host.
   */
  CpuCfsQuota?: boolean;
  /** Indicates if CPU Shares limiting is supported by the host. */
  CPUShares?: boolean;
  /** Indicates if CPUsets (cpuset.cpus, cpuset.mems) are supported by the host. */
  CPUSet?: boolean;
  /** Indicates if the host kernel has PID limit support enabled. */
  PidsLimit?: boolean;
  /** Indicates if OOM killer disable is supported on the host. */
  OomKillDisable?: boolean;
  /** Indicates IPv4 forwarding is enabled. */
  IPv4Forwarding?: boolean;
  /**
   * Indicates if the daemon is running in debug-mode / with debug-level
   * logging enabled.
   */
  Debug?: boolean;
  /** The total number of file Descriptors in use by the daemon process. */
  NFd?: number;
  /** The  number of goroutines that currently exist. */
  NGoroutines?: number;
  /**
   * Current system-time in [RFC 3339](https://www.ietf.org/rfc/rfc3339.txt)
   * format with nano-seconds.
   */
  SystemTime?: string;
  /** The logging driver to use as a default for new containers. */
  LoggingDriver?: string;
  /** The driver to use for managing cgroups. */
  CgroupDriver?: "cgroupfs" | "systemd" | "none";
  /** The version of the cgroup. */
  CgroupVersion?: "1" | "2";
  /** Number of event listeners subscribed. */
  NEventsListener?: number;
  /** Kernel version of the host. */
  KernelVersion?: string;
  /**
   * Name of the host's operating system, for example: "Ubuntu 24.04 LTS"
   * or "Windows Server 2016 Datacenter"
   */
  OperatingSystem?: string;
  /** Version of the host's operating system */
  OSVersion?: string;
  /**
   * Generic type of the operating system of the host, as returned by the
   * Go runtime (`GOOS`).
   */
  OSType?: string;
  /**
   * Hardware architecture of the host, as returned by the operating system.
   * This is equivalent to the output of `uname -m` on Linux.
   */
  Architecture?: string;
  /** The number of logical CPUs usable by the daemon. */
  NCPU?: number;
  /** Total amount of physical memory available on the host, in bytes. */
  MemTotal?: number;
  /**
   * Address / URL of the index server that is used for image search,
   * and as a default for user authentication for Docker Hub and Docker Cloud.
   */
  IndexServerAddress?: string;
  RegistryConfig?: RegistryServiceConfig;
  GenericResources?: GenericResources;
  /**
   * HTTP-proxy configured for the daemon. This value is obtained from the
   * [`HTTP_PROXY`](https://www.gnu.org/software/wget/manual/html_node/Proxies.html) environment variable.
   * Credentials ([user info component](https://tools.ietf.org/html/rfc3986#section-3.2.1)) in the proxy URL
   * are masked in the API response.
   */
  HttpProxy?: string;
  /**
   * HTTPS-proxy configured for the daemon. This value is obtained from the
   * [`HTTPS_PROXY`](https://www.gnu.org/software/wget/manual/html_node/Proxies.html) environment variable.
   * Credentials ([user info component](https://tools.ietf.org/html/rfc3986#section-3.2.1)) in the proxy URL
   * are masked in the API response.
   */
  HttpsProxy?: string;
  /**
   * Comma-separated list of domain extensions for which no proxy should be
   * used. This value is obtained from the [`NO_PROXY`](https://www.gnu.org/software/wget/manual/html_node/Proxies.html)
   * environment variable.
   */
  NoProxy?: string;
  /** Hostname of the host. */
  Name?: string;
  /** User-defined labels (key/value metadata) as set on the daemon. */
  Labels?: string[];
  /** Indicates if experimental features are enabled on the daemon. */
  ExperimentalBuild?: boolean;
  /** Version string of the daemon. */
  ServerVersion?: string;
  /**
   * List of [OCI compliant](https://github.com/opencontainers/runtime-spec)
   * runtimes configured on the daemon. Keys hold the "name" used to
   * reference the runtime.
   */
  Runtimes?: Record<string, Runtime>;
  /** Name of the default OCI runtime that is used when starting containers. */
  DefaultRuntime?: string;
  Swarm?: SwarmInfo;
  /** Indicates if live restore is enabled. */
  LiveRestoreEnabled?: boolean;
  /**
   * Represents the isolation technology to use as a default for containers.
   * The supported values are platform-specific.
   */
  Isolation?: "default" | "hyperv" | "process" | "";
  /** Name and, optional, path of the `docker-init` binary. */
  InitBinary?: string;
  ContainerdCommit?: Commit;
  RuncCommit?: Commit;
  InitCommit?: Commit;
  /**
   * List of security features that are enabled on the daemon, such as
   * apparmor, seccomp, SELinux, user-namespaces (userns), rootless and
   * no-new-privileges.
   */
  SecurityOptions?: string[];
  /** Reports a summary of the product license on the daemon. */
  ProductLicense?: string;
  /**
   * List of custom default address pools for local networks, which can be
   * specified in the daemon.json file or dockerd option.
   */
  DefaultAddressPools?: {
    /** The network address in CIDR format */
    Base?: string;
    /** The network pool size */
    Size?: number;
  }[];
  FirewallBackend?: FirewallInfo;
  /** List of devices discovered by device drivers. */
  DiscoveredDevices?: DeviceInfo[];
  NRI?: NRIInfo;
  /**
   * List of warnings / informational messages about missing features, or
   * issues related to the daemon configuration.
   */
  Warnings?: string[];
  /**
   * List of directories where (Container Device Interface) CDI
   * specifications are located.
   */
  CDISpecDirs?: string[];
  Containerd?: ContainerdInfo;
}

/**
 * Information for connecting to the containerd instance that is used by the daemon.
 * This is included for debugging purposes only.
 */
export type ContainerdInfo = {
  /** The address of the containerd socket. */
  Address?: string;
  /**
   * The namespaces that the daemon uses for running containers and
   * plugins in containerd. These namespaces can be configured in the
   * daemon configuration, and are considered to be used exclusively
   * by the daemon, Tampering with the containerd instance may cause
   * unexpected behavior.
   */
  Namespaces?: {
    /**
     * The default containerd namespace used for containers managed
     * by the daemon.
     */
    Containers?: string;
    /**
     * The default containerd namespace used for plugins managed by
     * the daemon.
     */
    Plugins?: string;
  };
} | null;

/** Information about the daemon's firewalling configuration. */
export type FirewallInfo = {
  /** The name of the firewall backend driver. */
  Driver?: string;
  /**
   * Information about the firewall backend, provided as
   * "label" / "value" pairs.
   */
  Info?: string[][];
} | null;

/** Available plugins per type. */
export interface PluginsInfo {
  /** Names of available volume-drivers, and network-driver plugins. */
  Volume?: string[];
  /** Names of available network-drivers, and network-driver plugins. */
  Network?: string[];
  /** Names of available authorization plugins. */
  Authorization?: string[];
  /** Names of available logging-drivers, and logging-driver plugins. */
  Log?: string[];
}

/** RegistryServiceConfig stores daemon registry services configuration. */
export type RegistryServiceConfig = {
  /**
   * List of IP ranges of insecure registries, using the CIDR syntax
   * ([RFC 4632](https://tools.ietf.org/html/4632)). Insecure registries
   * accept un-encrypted (HTTP) and/or untrusted (HTTPS with certificates
   * from unknown CAs) communication.
   */
  InsecureRegistryCIDRs?: string[];
  IndexConfigs?: Record<string, IndexInfo>;
  /**
   * List of registry URLs that act as a mirror for the official
   * (`docker.io`) registry.
   */
  Mirrors?: string[];
} | null;

/** IndexInfo contains information about a registry. */
export type IndexInfo = {
  /** Name of the registry, such as "docker.io". */
  Name?: string;
  /** List of mirrors, expressed as URIs. */
  Mirrors?: string[];
  /**
   * Indicates if the registry is part of the list of insecure
   * registries.
   */
  Secure?: boolean;
  /** Indicates whether this is an official registry (i.e., Docker Hub / docker.io) */
  Official?: boolean;
} | null;

/**
 * Runtime describes an [OCI compliant](https://github.com/opencontainers/runtime-spec)
 * runtime.
 */
export interface Runtime {
  /** Name and, optional, path, of the OCI executable binary. */
  path?: string;
  /** List of command-line arguments to pass to the runtime when invoked. */
  runtimeArgs?: string[] | null;
  /** Information specific to the runtime. */
  status?: Record<string, string> | null;
}

/**
 * Commit holds the Git-commit (SHA1) that a binary was built from, as
 * reported in the version-string of external tools, such as `containerd`,
 * or `runC`.
 */
export interface Commit {
  /** Actual commit ID of external tool. */
  ID?: string;
}

/** Represents generic information about swarm. */
export interface SwarmInfo {
  /** Unique identifier of for this node in the swarm. */
  NodeID?: string;
  /**
   * IP address at which this node can be reached by other nodes in the
   * swarm.
   */
  NodeAddr?: string;
  LocalNodeState?: LocalNodeState;
  ControlAvailable?: boolean;
  Error?: string;
  /** List of ID's and addresses of other managers in the swarm. */
  RemoteManagers?: PeerNode[] | null;
  /** Total number of nodes in the swarm. */
  Nodes?: number | null;
  /** Total number of managers in the swarm. */
  Managers?: number | null;
  Cluster?: ClusterInfo;
}

/** Current local status of this node. */
export type LocalNodeState = "" | "inactive" | "pending" | "active" | "error" | "locked";

/** Represents a peer-node in the swarm */
export interface PeerNode {
  /** Unique identifier of for this node in the swarm. */
  NodeID?: string;
  /** IP address and ports at which this node can be reached. */
  Addr?: string;
}

/** Specifies how a service should be attached to a particular network. */
export interface NetworkAttachmentConfig {
  /** The target network for attachment. Must be a network name or ID. */
  Target?: string;
  /** Discoverable alternate names for the service on this network. */
  Aliases?: string[];
  /** Driver attachment options for the network target. */
  DriverOpts?: Record<string, string>;
}

/**
 * Actor describes something that generates events, like a container, network,
 * or a volume.
 */
export interface EventActor {
  /** The ID of the object emitting the event */
  ID?: string;
  /** Various key/value attributes of the object, depending on its type. */
  Attributes?: Record<string, string>;
}

/** EventMessage represents the information an event contains. */
export interface EventMessage {
  /** The type of object emitting the event */
  Type?: "builder" | "config" | "container" | "daemon" | "image" | "network" | "node" | "plugin" | "secret" | "service" | "volume";
  /** The type of event */
  Action?: string;
  Actor?: EventActor;
  /**
   * Scope of the event. Engine events are `local` scope. Cluster (Swarm)
   * events are `swarm` scope.
   */
  scope?: "local" | "swarm";
  /** Timestamp of event */
  time?: number;
  /** Timestamp of event, with nanosecond accuracy */
  timeNano?: number;
}

/**
 * A descriptor struct containing digest, media type, and size, as defined in
 * the [OCI Content Descriptors Specification](https://github.com/opencontainers/image-spec/blob/v1.0.1/descriptor.md).
 */
export interface OCIDescriptor {
  /** The media type of the object this schema refers to. */
  mediaType?: string;
  /** The digest of the targeted content. */
  digest?: string;
  /** The size in bytes of the blob. */
  size?: number;
  /** List of URLs from which this object MAY be downloaded. */
  urls?: string[] | null;
  /** Arbitrary metadata relating to the targeted content. */
  annotations?: Record<string, string> | null;
  /**
   * Data is an embedding of the targeted content. This is encoded as a base64
   * string when marshalled to JSON (automatically, by encoding/json). If
   * present, Data can be used directly to avoid fetching the targeted content.
   */
  data?: string | null;
  platform?: OCIPlatform;
  /** ArtifactType is the IANA media type of this artifact. */
  artifactType?: string | null;
}

/**
 * Describes the platform which the image in the manifest runs on, as defined
 * in the [OCI Image Index Specification](https://github.com/opencontainers/image-spec/blob/v1.0.1/image-index.md).
 */
export type OCIPlatform = {
  /** The CPU architecture, for example `amd64` or `ppc64`. */
  architecture?: string;
  /** The operating system, for example `linux` or `windows`. */
  os?: string;
  /**
   * Optional field specifying the operating system version, for example on
   * Windows `10.0.19041.1165`.
   */
  "os.version"?: string;
  /**
   * Optional field specifying an array of strings, each listing a required
   * OS feature (for example on Windows `win32k`).
   */
  "os.features"?: string[];
  /**
   * Optional field specifying a variant of the CPU, for example `v7` to
   * specify ARMv7 when architecture is `arm`.
   */
  variant?: string;
} | null;

/**
 * Describes the result obtained from contacting the registry to retrieve
 * image metadata.
 */
export interface DistributionInspect {
  Descriptor: OCIDescriptor;
  /** An array containing all platforms supported by the image. */
  Platforms: OCIPlatform[];
}

/**
 * Options and information specific to, and only present on, Swarm CSI
 * cluster volumes.
 */
export interface ClusterVolume {
  /**
   * The Swarm ID of this volume. Because cluster volumes are Swarm
   * objects, they have an ID, unlike non-cluster volumes. This ID can
   * be used to refer to the Volume instead of the name.
   */
  ID?: string;
  Version?: ObjectVersion;
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec?: ClusterVolumeSpec;
  /** Information about the global status of the volume. */
  Info?: {
    /**
     * The capacity of the volume in bytes. A value of 0 indicates that
     * the capacity is unknown.
     */
    CapacityBytes?: number;
    /**
     * A map of strings to strings returned from the storage plugin when
     * the volume is created.
     */
    VolumeContext?: Record<string, string>;
    /**
     * The ID of the volume as returned by the CSI storage plugin. This
     * is distinct from the volume's ID as provided by Docker. This ID
     * is never used by the user when communicating with Docker to refer
     * to this volume. If the ID is blank, then the Volume has not been
     * successfully created in the plugin yet.
     */
    VolumeID?: string;
    /** The topology this volume is actually accessible from. */
    AccessibleTopology?: Topology[];
  };
  /**
   * The status of the volume as it pertains to its publishing and use on
   * specific nodes
   */
  PublishStatus?: {
    /** The ID of the Swarm node the volume is published on. */
    NodeID?: string;
    /**
     * The published state of the volume.
     * * `pending-publish` The volume should be published to this node, but the call to the controller plugin to do so has not yet been successfully completed.
     * * `published` The volume is published successfully to the node.
     * * `pending-node-unpublish` The volume should be unpublished from the node, and the manager is awaiting confirmation from the worker that it has done so.
     * * `pending-controller-unpublish` The volume is successfully unpublished from the node, but has not yet been successfully unpublished on the controller.
     */
    State?: "pending-publish" | "published" | "pending-node-unpublish" | "pending-controller-unpublish";
    /**
     * A map of strings to strings returned by the CSI controller
     * plugin when a volume is published.
     */
    PublishContext?: Record<string, string>;
  }[];
}

/** Cluster-specific options used to create the volume. */
export interface ClusterVolumeSpec {
  /**
   * Group defines the volume group of this volume. Volumes belonging to
   * the same group can be referred to by group name when creating
   * Services.  Referring to a volume by group instructs Swarm to treat
   * volumes in that group interchangeably for the purpose of scheduling.
   * Volumes with an empty string for a group technically all belong to
   * the same, emptystring group.
   */
  Group?: string;
  /** Defines how the volume is used by tasks. */
  AccessMode?: {
    /**
     * The set of nodes this volume can be used on at one time.
     * - `single` The volume may only be scheduled to one node at a time.
     * - `multi` the volume may be scheduled to any supported number of nodes at a time.
     */
    Scope?: "single" | "multi";
    /**
     * The number and way that different tasks can use this volume
     * at one time.
     * - `none` The volume may only be used by one task at a time.
     * - `readonly` The volume may be used by any number of tasks, but they all must mount the volume as readonly
     * - `onewriter` The volume may be used by any number of tasks, but only one may mount it as read/write.
     * - `all` The volume may have any number of readers and writers.
     */
    Sharing?: "none" | "readonly" | "onewriter" | "all";
    /** Options for using this volume as a Mount-type volume. */
    MountVolume?: Record<string, unknown>;
    /**
     * Swarm Secrets that are passed to the CSI storage plugin when
     * operating on this volume.
     */
    Secrets?: {
      /**
       * Key is the name of the key of the key-value pair passed to
       * the plugin.
       */
      Key?: string;
      /**
       * Secret is the swarm Secret object from which to read data.
       * This can be a Secret name or ID. The Secret data is
       * retrieved by swarm and used as the value of the key-value
       * pair passed to the plugin.
       */
      Secret?: string;
    }[];
    /**
     * Requirements for the accessible topology of the volume. These
     * fields are optional. For an in-depth description of what these
     * fields mean, see the CSI specification.
     */
    AccessibilityRequirements?: {
      /**
       * A list of required topologies, at least one of which the
       * volume must be accessible from.
       */
      Requisite?: Topology[];
      /**
       * A list of topologies that the volume should attempt to be
       * provisioned in.
       */
      Preferred?: Topology[];
    };
    /**
     * The desired capacity that the volume should be created with. If
     * empty, the plugin will decide the capacity.
     */
    CapacityRange?: {
      /**
       * The volume must be at least this big. The value of 0
       * indicates an unspecified minimum
       */
      RequiredBytes?: number;
      /**
       * The volume must not be bigger than this. The value of 0
       * indicates an unspecified maximum.
       */
      LimitBytes?: number;
    };
    /**
     * The availability of the volume for use in tasks.
     * - `active` The volume is fully available for scheduling on the cluster
     * - `pause` No new workloads should use the volume, but existing workloads are not stopped.
     * - `drain` All workloads using this volume should be stopped and rescheduled, and no new ones should be started.
     */
    Availability?: "active" | "pause" | "drain";
  };
}

/**
 * A map of topological domains to topological segments. For in depth
 * details, see documentation for the Topology object in the CSI
 * specification.
 */
export interface Topology {
  Segments?: Record<string, string>;
}

/** AttestationStatement is a single in-toto statement attached to an image. */
export interface AttestationStatement {
  Descriptor: OCIDescriptor;
  /** The in-toto predicate type URI of this statement. */
  PredicateType: string;
  /**
   * The verbatim in-toto statement JSON. Only included when the caller
   * opts in via the `statement=true` query parameter; otherwise absent.
   */
  Statement?: Record<string, unknown> | null;
}

/** ImageManifestSummary represents a summary of an image manifest. */
export interface ImageManifestSummary {
  /**
   * ID is the content-addressable ID of an image and is the same as the
   * digest of the image manifest.
   */
  ID: string;
  Descriptor: OCIDescriptor;
  /** Indicates whether all the child content (image config, layers) is fully available locally. */
  Available: boolean;
  Size: {
    /**
     * Total is the total size (in bytes) of all the locally present
     * data (both distributable and non-distributable) that's related to
     * this manifest and its children.
     * This equal to the sum of [Content] size AND all the sizes in the
     * [Size] struct present in the Kind-specific data struct.
     * For example, for an image kind (Kind == "image")
     * this would include the size of the image content and unpacked
     * image snapshots ([Size.Content] + [ImageData.Size.Unpacked]).
     */
    Total: number;
    /**
     * Content is the size (in bytes) of all the locally present
     * content in the content store (e.g. image config, layers)
     * referenced by this manifest and its children.
     * This only includes blobs in the content store.
     */
    Content: number;
  };
  /** The kind of the manifest. */
  Kind: "image" | "attestation" | "unknown";
  /**
   * The image data for the image manifest.
   * This field is only populated when Kind is "image".
   */
  ImageData?: {
    /**
     * OCI platform of the image. This will be the platform specified in the
     * manifest descriptor from the index/manifest list.
     * If it's not available, it will be obtained from the image config.
     */
    Platform: OCIPlatform;
    /**
     * Identity holds information about the identity and origin of this image.
     * For image list responses, this can duplicate Build/Pull fields across
     * image manifests, because those parts are image-level metadata.
     */
    Identity?: Identity | null;
    /** The IDs of the containers that are using this image. */
    Containers: string[];
    Size: {
      /**
       * Unpacked is the size (in bytes) of the locally unpacked
       * (uncompressed) image content that's directly usable by the containers
       * running this image.
       * It's independent of the distributable content - e.g.
       * the image might still have an unpacked data that's still used by
       * some container even when the distributable/compressed content is
       * already gone.
       */
      Unpacked: number;
    };
  } | null;
  /**
   * The image data for the attestation manifest.
   * This field is only populated when Kind is "attestation".
   */
  AttestationData?: {
    /** The digest of the image manifest that this attestation is for. */
    For: string;
  } | null;
}

// ---- operations: bodies, responses, query parameters ----

/** Response 200 of GET /containers/json. */
export type ContainerList200Response = ContainerSummary[];

/** Success response of GET /containers/json. */
export type ContainerListResponse = ContainerList200Response;

/** Query parameters of GET /containers/json. */
export interface ContainerListQuery {
  /** Return all containers. By default, only running containers are shown. */
  all?: boolean;
  /**
   * Return this number of most recently created containers, including
   * non-running ones.
   */
  limit?: number;
  /** Return the size of container as fields `SizeRw` and `SizeRootFs`. */
  size?: boolean;
  /**
   * Filters to process on the container list, encoded as JSON (a
   * `map[string][]string`). For example, `{"status": ["paused"]}` will
   * only return paused containers.
   */
  filters?: string;
}

/** Request body of POST /containers/create. */
export type ContainerCreateBody = ContainerConfig & {
  HostConfig?: HostConfig;
  NetworkingConfig?: NetworkingConfig;
};

/** Query parameters of POST /containers/create. */
export interface ContainerCreateQuery {
  /**
   * Assign the specified name to the container. Must match
   * `/?[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
   */
  name?: string;
  /** Platform in the format `os[/arch[/variant]]` used for image lookup. */
  platform?: string;
}

/** Query parameters of GET /containers/{id}/json. */
export interface ContainerInspectQuery {
  /** Return the size of container as fields `SizeRw` and `SizeRootFs` */
  size?: boolean;
}

/** Query parameters of GET /containers/{id}/top. */
export interface ContainerTopQuery {
  /** The arguments to pass to `ps`. For example, `aux` */
  ps_args?: string;
}

/** Query parameters of GET /containers/{id}/logs. */
export interface ContainerLogsQuery {
  /** Keep connection after returning logs. */
  follow?: boolean;
  /** Return logs from `stdout` */
  stdout?: boolean;
  /** Return logs from `stderr` */
  stderr?: boolean;
  /** Only return logs since this time, as a UNIX timestamp */
  since?: number;
  /** Only return logs before this time, as a UNIX timestamp */
  until?: number;
  /** Add timestamps to every log line */
  timestamps?: boolean;
  /**
   * Only return this number of log lines from the end of the logs.
   * Specify as an integer or `all` to output all log lines.
   */
  tail?: string;
}

/** Response 200 of GET /containers/{id}/changes. */
export type ContainerChanges200Response = FilesystemChange[];

/** Success response of GET /containers/{id}/changes. */
export type ContainerChangesResponse = ContainerChanges200Response;

/** Query parameters of GET /containers/{id}/stats. */
export interface ContainerStatsQuery {
  /**
   * Stream the output. If false, the stats will be output once and then
   * it will disconnect.
   */
  stream?: boolean;
  /**
   * Only get a single stat instead of waiting for 2 cycles. Must be used
   * with `stream=false`.
   */
  "one-shot"?: boolean;
}

/** Query parameters of POST /containers/{id}/resize. */
export interface ContainerResizeQuery {
  /** Height of the TTY session in characters */
  h: number;
  /** Width of the TTY session in characters */
  w: number;
}

/** Query parameters of POST /containers/{id}/start. */
export interface ContainerStartQuery {
  /**
   * Override the key sequence for detaching a container. Format is a
   * single character `[a-Z]` or `ctrl-<value>` where `<value>` is one
   * of: `a-z`, `@`, `^`, `[`, `,` or `_`.
   */
  detachKeys?: string;
}

/** Query parameters of POST /containers/{id}/stop. */
export interface ContainerStopQuery {
  /** Signal to send to the container as an integer or string (e.g. `SIGINT`). */
  signal?: string;
  /** Number of seconds to wait before killing the container */
  t?: number;
}

/** Query parameters of POST /containers/{id}/restart. */
export interface ContainerRestartQuery {
  /** Signal to send to the container as an integer or string (e.g. `SIGINT`). */
  signal?: string;
  /** Number of seconds to wait before killing the container */
  t?: number;
}

/** Query parameters of POST /containers/{id}/kill. */
export interface ContainerKillQuery {
  /** Signal to send to the container as an integer or string (e.g. `SIGINT`). */
  signal?: string;
}

/** Request body of POST /containers/{id}/update. */
export type ContainerUpdateBody = Resources & {
  RestartPolicy?: RestartPolicy;
};

/** Query parameters of POST /containers/{id}/rename. */
export interface ContainerRenameQuery {
  /** New name for the container */
  name: string;
}

/** Query parameters of POST /containers/{id}/attach. */
export interface ContainerAttachQuery {
  /**
   * Override the key sequence for detaching a container.Format is a single
   * character `[a-Z]` or `ctrl-<value>` where `<value>` is one of: `a-z`,
   * `@`, `^`, `[`, `,` or `_`.
   */
  detachKeys?: string;
  /** Replay previous logs from the container. */
  logs?: boolean;
  /** Stream attached streams from the time the request was made onwards. */
  stream?: boolean;
  /** Attach to `stdin` */
  stdin?: boolean;
  /** Attach to `stdout` */
  stdout?: boolean;
  /** Attach to `stderr` */
  stderr?: boolean;
}

/** Query parameters of GET /containers/{id}/attach/ws. */
export interface ContainerAttachWebsocketQuery {
  /**
   * Override the key sequence for detaching a container.Format is a single
   * character `[a-Z]` or `ctrl-<value>` where `<value>` is one of: `a-z`,
   * `@`, `^`, `[`, `,`, or `_`.
   */
  detachKeys?: string;
  /** Return logs */
  logs?: boolean;
  /** Return stream */
  stream?: boolean;
  /** Attach to `stdin` */
  stdin?: boolean;
  /** Attach to `stdout` */
  stdout?: boolean;
  /** Attach to `stderr` */
  stderr?: boolean;
}

/** Query parameters of POST /containers/{id}/wait. */
export interface ContainerWaitQuery {
  /** Wait until a container state reaches the given condition. */
  condition?: "not-running" | "next-exit" | "removed";
}

/** Query parameters of DELETE /containers/{id}. */
export interface ContainerDeleteQuery {
  /** Remove anonymous volumes associated with the container. */
  v?: boolean;
  /** If the container is running, kill it before removing it. */
  force?: boolean;
  /** Remove the specified link associated with the container. */
  link?: boolean;
}

/** Query parameters of HEAD /containers/{id}/archive. */
export interface ContainerArchiveInfoQuery {
  /** Resource in the container’s filesystem to archive. */
  path: string;
}

/** Query parameters of GET /containers/{id}/archive. */
export interface ContainerArchiveQuery {
  /** Resource in the container’s filesystem to archive. */
  path: string;
}

/** Query parameters of PUT /containers/{id}/archive. */
export interface PutContainerArchiveQuery {
  /** Path to a directory in the container to extract the archive’s contents into. */
  path: string;
  /**
   * If `1`, `true`, or `True` then it will be an error if unpacking the
   * given content would cause an existing directory to be replaced with
   * a non-directory and vice versa.
   */
  noOverwriteDirNonDir?: string;
  /**
   * If `1`, `true`, then it will copy UID/GID maps to the dest file or
   * dir
   */
  copyUIDGID?: string;
}

/** Response 200 of POST /containers/prune. */
export interface ContainerPrune200Response {
  /** Container IDs that were deleted */
  ContainersDeleted?: string[];
  /** Disk space reclaimed in bytes */
  SpaceReclaimed?: number;
}

/** Success response of POST /containers/prune. */
export type ContainerPruneResponse = ContainerPrune200Response;

/** Query parameters of POST /containers/prune. */
export interface ContainerPruneQuery {
  /** Filters to process on the prune list, encoded as JSON (a `map[string][]string`). */
  filters?: string;
}

/** Response 200 of GET /images/json. */
export type ImageList200Response = ImageSummary[];

/** Success response of GET /images/json. */
export type ImageListResponse = ImageList200Response;

/** Query parameters of GET /images/json. */
export interface ImageListQuery {
  /** Show all images. Only images from a final layer (no children) are shown by default. */
  all?: boolean;
  /**
   * A JSON encoded value of the filters (a `map[string][]string`) to
   * process on the images list.
   */
  filters?: string;
  /** Compute and show shared size as a `SharedSize` field on each image. */
  "shared-size"?: boolean;
  /** Show digest information as a `RepoDigests` field on each image. */
  digests?: boolean;
  /** Include `Manifests` in the image summary. */
  manifests?: boolean;
  /** Include `Identity` in each manifest summary. Requires `manifests=1`. */
  identity?: boolean;
}

/** Query parameters of POST /build. */
export interface ImageBuildQuery {
  /** Path within the build context to the `Dockerfile`. This is ignored if `remote` is specified and points to an external `Dockerfile`. */
  dockerfile?: string;
  /** A name and optional tag to apply to the image in the `name:tag` format. If you omit the tag the default `latest` value is assumed. You can provide several `t` parameters. */
  t?: string;
  /** Extra hosts to add to /etc/hosts */
  extrahosts?: string;
  /** A Git repository URI or HTTP/HTTPS context URI. If the URI points to a single text file, the file’s contents are placed into a file called `Dockerfile` and the image is built from that file. If the URI points to a tarball, the file is downloaded by the daemon and the contents therein used as the context for the build. If the URI points to a tarball and the `dockerfile` parameter is also specified, there must be a file with the corresponding path inside the tarball. */
  remote?: string;
  /** Suppress verbose build output. */
  q?: boolean;
  /** Do not use the cache when building the image. */
  nocache?: boolean;
  /** JSON array of images used for build cache resolution. */
  cachefrom?: string;
  /** Attempt to pull the image even if an older image exists locally. */
  pull?: string;
  /** Remove intermediate containers after a successful build. */
  rm?: boolean;
  /** Always remove intermediate containers, even upon failure. */
  forcerm?: boolean;
  /** Set memory limit for build. */
  memory?: number;
  /** Total memory (memory + swap). Set as `-1` to disable swap. */
  memswap?: number;
  /** CPU shares (relative weight). */
  cpushares?: number;
  /** CPUs in which to allow execution (e.g., `0-3`, `0,1`). */
  cpusetcpus?: string;
  /** The length of a CPU period in microseconds. */
  cpuperiod?: number;
  /** Microseconds of CPU time that the container can get in a CPU period. */
  cpuquota?: number;
  /** JSON map of string pairs for build-time variables. Users pass these values at build-time. Docker uses the buildargs as the environment context for commands run via the `Dockerfile` RUN instruction, or for variable expansion in other `Dockerfile` instructions. This is not meant for passing secret values. */
  buildargs?: string;
  /** Size of `/dev/shm` in bytes. The size must be greater than 0. If omitted the system uses 64MB. */
  shmsize?: number;
  /** Squash the resulting images layers into a single layer. *(Experimental release only.)* */
  squash?: boolean;
  /** Arbitrary key/value labels to set on the image, as a JSON map of string pairs. */
  labels?: string;
  /**
   * Sets the networking mode for the run commands during build. Supported
   * standard values are: `bridge`, `host`, `none`, and `container:<name|id>`.
   * Any other value is taken as a custom network's name or ID to which this
   * container should connect to.
   */
  networkmode?: string;
  /** Platform in the format os[/arch[/variant]] */
  platform?: string;
  /** Target build stage */
  target?: string;
  /**
   * BuildKit output configuration in the format of a stringified JSON array of objects.
   * Each object must have two top-level properties: `Type` and `Attrs`.
   * The `Type` property must be set to 'moby'.
   * The `Attrs` property is a map of attributes for the BuildKit output configuration.
   * See https://docs.docker.com/build/exporters/oci-docker/ for more information.
   */
  outputs?: string;
  /** Version of the builder backend to use. */
  version?: "1" | "2";
}

/** Response 200 of POST /build/prune. */
export interface BuildPrune200Response {
  CachesDeleted?: string[];
  /** Disk space reclaimed in bytes */
  SpaceReclaimed?: number;
}

/** Success response of POST /build/prune. */
export type BuildPruneResponse = BuildPrune200Response;

/** Query parameters of POST /build/prune. */
export interface BuildPruneQuery {
  /** Amount of disk space in bytes to keep for cache */
  "reserved-space"?: number;
  /** Maximum amount of disk space allowed to keep for cache */
  "max-used-space"?: number;
  /** Target amount of free disk space after pruning */
  "min-free-space"?: number;
  /** Remove all types of build cache */
  all?: boolean;
  /**
   * A JSON encoded value of the filters (a `map[string][]string`) to
   * process on the list of build cache objects.
   */
  filters?: string;
}

/** Query parameters of POST /images/create. */
export interface ImageCreateQuery {
  /** Name of the image to pull. If the name includes a tag or digest, specific behavior applies: */
  fromImage?: string;
  /** Source to import. The value may be a URL from which the image can be retrieved or `-` to read the image from the request body. This parameter may only be used when importing an image. */
  fromSrc?: string;
  /** Repository name given to an image when it is imported. The repo may include a tag. This parameter may only be used when importing an image. */
  repo?: string;
  /** Tag or digest. If empty when pulling an image, this causes all tags for the given image to be pulled. */
  tag?: string;
  /** Set commit message for imported image. */
  message?: string;
  /**
   * Apply `Dockerfile` instructions to the image that is created,
   * for example: `changes=ENV DEBUG=true`.
   * Note that `ENV DEBUG=true` should be URI component encoded.
   */
  changes?: string[];
  /** Platform in the format os[/arch[/variant]]. */
  platform?: string;
}

/** Success response of GET /images/{name}/json. */
export type ImageInspectResponse = ImageInspect;

/** Query parameters of GET /images/{name}/json. */
export interface ImageInspectQuery {
  /** Include Manifests in the image summary. */
  manifests?: boolean;
  /**
   * JSON-encoded OCI platform to select the platform-variant.
   * If omitted, it defaults to any locally available platform,
   * prioritizing the daemon's host platform.
   */
  platform?: string;
}

/** Response 200 of GET /images/{name}/attestations. */
export type ImageAttestations200Response = AttestationStatement[];

/** Success response of GET /images/{name}/attestations. */
export type ImageAttestationsResponse = ImageAttestations200Response;

/** Query parameters of GET /images/{name}/attestations. */
export interface ImageAttestationsQuery {
  /**
   * JSON-encoded OCI platform to select the image variant whose
   * attestations to return.
   * If omitted, the daemon's default (host) platform is used.
   */
  platform?: string[];
  /**
   * In-toto predicate type URI to filter returned statements. May be
   * repeated to accept any of several predicate types. If omitted, all
   * statements are returned.
   */
  type?: string[];
  /**
   * Include the verbatim in-toto statement body in each returned
   * entry. Defaults to false; when omitted or false, only the
   * descriptor and predicate type are returned and statement blobs
   * are not read.
   */
  statement?: boolean;
}

/** Response 200 of GET /images/{name}/history. */
export type ImageHistory200Response = ImageHistoryResponseItem[];

/** Success response of GET /images/{name}/history. */
export type ImageHistoryResponse = ImageHistory200Response;

/** Query parameters of GET /images/{name}/history. */
export interface ImageHistoryQuery {
  /**
   * JSON-encoded OCI platform to select the platform-variant.
   * If omitted, it defaults to any locally available platform,
   * prioritizing the daemon's host platform.
   */
  platform?: string;
}

/** Query parameters of POST /images/{name}/push. */
export interface ImagePushQuery {
  /**
   * Tag of the image to push. For example, `latest`. If no tag is provided,
   * all tags of the given image that are present in the local image store
   * are pushed.
   */
  tag?: string;
  /**
   * JSON-encoded OCI platform to select the platform-variant to push.
   * If not provided, all available variants will attempt to be pushed.
   */
  platform?: string;
}

/** Query parameters of POST /images/{name}/tag. */
export interface ImageTagQuery {
  /** The repository to tag in. For example, `someuser/someimage`. */
  repo?: string;
  /** The name of the new tag. */
  tag?: string;
}

/** Response 200 of DELETE /images/{name}. */
export type ImageDelete200Response = ImageDeleteResponseItem[];

/** Success response of DELETE /images/{name}. */
export type ImageDeleteResponse = ImageDelete200Response;

/** Query parameters of DELETE /images/{name}. */
export interface ImageDeleteQuery {
  /** Remove the image even if it is being used by stopped containers or has other tags */
  force?: boolean;
  /** Do not delete untagged parent images */
  noprune?: boolean;
  /**
   * Select platform-specific content to delete.
   * Multiple values are accepted.
   * Each platform is a OCI platform encoded as a JSON string.
   */
  platforms?: string[];
}

/** Response 200 of GET /images/search. */
export type ImageSearch200Response = {
  description?: string;
  is_official?: boolean;
  /** Whether this repository has automated builds enabled. */
  is_automated?: boolean;
  name?: string;
  star_count?: number;
}[];

/** Success response of GET /images/search. */
export type ImageSearchResponse = ImageSearch200Response;

/** Query parameters of GET /images/search. */
export interface ImageSearchQuery {
  /** Term to search */
  term: string;
  /** Maximum number of results to return */
  limit?: number;
  /** A JSON encoded value of the filters (a `map[string][]string`) to process on the images list. Available filters: */
  filters?: string;
}

/** Response 200 of POST /images/prune. */
export interface ImagePrune200Response {
  /** Images that were deleted */
  ImagesDeleted?: ImageDeleteResponseItem[];
  /** Disk space reclaimed in bytes */
  SpaceReclaimed?: number;
}

/** Success response of POST /images/prune. */
export type ImagePruneResponse = ImagePrune200Response;

/** Query parameters of POST /images/prune. */
export interface ImagePruneQuery {
  /** Filters to process on the prune list, encoded as JSON (a `map[string][]string`). Available filters: */
  filters?: string;
}

/** Success response of POST /auth. */
export type SystemAuthResponse = AuthResponse;

/** Success response of GET /info. */
export type SystemInfoResponse = SystemInfo;

/** Success response of GET /version. */
export type SystemVersionResponse = SystemVersion;

/** Success response of POST /commit. */
export type ImageCommitResponse = IDResponse;

/** Query parameters of POST /commit. */
export interface ImageCommitQuery {
  /** The ID or name of the container to commit */
  container?: string;
  /** Repository name for the created image */
  repo?: string;
  /** Tag name for the create image */
  tag?: string;
  /** Commit message */
  comment?: string;
  /** Author of the image (e.g., `John Hannibal Smith <hannibal@a-team.com>`) */
  author?: string;
  /** Whether to pause the container before committing */
  pause?: boolean;
  /** `Dockerfile` instructions to apply while committing */
  changes?: string;
}

/** Success response of GET /events. */
export type SystemEventsResponse = EventMessage;

/** Query parameters of GET /events. */
export interface SystemEventsQuery {
  /** Show events created since this timestamp then stream new events. */
  since?: string;
  /** Show events created until this timestamp then stop streaming. */
  until?: string;
  /** A JSON encoded value of filters (a `map[string][]string`) to process on the event list. Available filters: */
  filters?: string;
}

/** Response 200 of GET /system/df. */
export interface SystemDataUsage200Response {
  ImageUsage?: ImagesDiskUsage;
  ContainerUsage?: ContainersDiskUsage;
  VolumeUsage?: VolumesDiskUsage;
  BuildCacheUsage?: BuildCacheDiskUsage;
}

/** Success response of GET /system/df. */
export type SystemDataUsageResponse = SystemDataUsage200Response;

/** Query parameters of GET /system/df. */
export interface SystemDataUsageQuery {
  /** Object types, for which to compute and return data. */
  type?: ("container" | "image" | "volume" | "build-cache")[];
  /** Show detailed information on space usage. */
  verbose?: boolean;
}

/** Query parameters of GET /images/{name}/get. */
export interface ImageGetQuery {
  /**
   * JSON encoded OCI platform describing a platform which will be used
   * to select a platform-specific image to be saved if the image is
   * multi-platform.
   * If not provided, the full multi-platform image will be saved.
   */
  platform?: string[];
}

/** Query parameters of GET /images/get. */
export interface ImageGetAllQuery {
  /** Image names to filter by */
  names?: string[];
  /**
   * JSON encoded OCI platform(s) which will be used to select the
   * platform-specific image(s) to be saved if the image is
   * multi-platform. If not provided, the full multi-platform image
   * will be saved.
   */
  platform?: string[];
}

/** Query parameters of POST /images/load. */
export interface ImageLoadQuery {
  /** Suppress progress details during load. */
  quiet?: boolean;
  /**
   * JSON encoded OCI platform(s) which will be used to select the
   * platform-specific image(s) to load if the image is
   * multi-platform. If not provided, the full multi-platform image
   * will be loaded.
   */
  platform?: string[];
}

/** Request body of POST /containers/{id}/exec. */
export interface ContainerExecBody {
  /** Attach to `stdin` of the exec command. */
  AttachStdin?: boolean;
  /** Attach to `stdout` of the exec command. */
  AttachStdout?: boolean;
  /** Attach to `stderr` of the exec command. */
  AttachStderr?: boolean;
  /** Initial console size, as an `[height, width]` array. */
  ConsoleSize?: number[] | null;
  /**
   * Override the key sequence for detaching a container. Format is
   * a single character `[a-Z]` or `ctrl-<value>` where `<value>`
   * is one of: `a-z`, `@`, `^`, `[`, `,` or `_`.
   */
  DetachKeys?: string;
  /** Allocate a pseudo-TTY. */
  Tty?: boolean;
  /** A list of environment variables in the form `["VAR=value", ...]`. */
  Env?: string[];
  /** Command to run, as a string or array of strings. */
  Cmd?: string[];
  /** Runs the exec process with extended privileges. */
  Privileged?: boolean;
  /**
   * The user, and optionally, group to run the exec process inside
   * the container. Format is one of: `user`, `user:group`, `uid`,
   * or `uid:gid`.
   */
  User?: string;
  /** The working directory for the exec process inside the container. */
  WorkingDir?: string;
}

/** Success response of POST /containers/{id}/exec. */
export type ContainerExecResponse = IDResponse;

/** Request body of POST /exec/{id}/start. */
export interface ExecStartBody {
  /** Detach from the command. */
  Detach?: boolean;
  /** Allocate a pseudo-TTY. */
  Tty?: boolean;
  /** Initial console size, as an `[height, width]` array. */
  ConsoleSize?: number[] | null;
}

/** Query parameters of POST /exec/{id}/resize. */
export interface ExecResizeQuery {
  /** Height of the TTY session in characters */
  h: number;
  /** Width of the TTY session in characters */
  w: number;
}

/** Response 200 of GET /exec/{id}/json. */
export interface ExecInspect200Response {
  CanRemove?: boolean;
  DetachKeys?: string;
  ID?: string;
  Running?: boolean;
  ExitCode?: number;
  ProcessConfig?: ProcessConfig;
  OpenStdin?: boolean;
  OpenStderr?: boolean;
  OpenStdout?: boolean;
  ContainerID?: string;
  /** The system process ID for the exec process. */
  Pid?: number;
}

/** Success response of GET /exec/{id}/json. */
export type ExecInspectResponse = ExecInspect200Response;

/** Query parameters of GET /volumes. */
export interface VolumeListQuery {
  /**
   * JSON encoded value of the filters (a `map[string][]string`) to
   * process on the volumes list. Available filters:
   */
  filters?: string;
}

/** Success response of POST /volumes/create. */
export type VolumeCreateResponse = Volume;

/** Success response of GET /volumes/{name}. */
export type VolumeInspectResponse = Volume;

/** Request body of PUT /volumes/{name}. */
export interface VolumeUpdateBody {
  Spec?: ClusterVolumeSpec;
}

/** Query parameters of PUT /volumes/{name}. */
export interface VolumeUpdateQuery {
  /**
   * The version number of the volume being updated. This is required to
   * avoid conflicting writes. Found in the volume's `ClusterVolume`
   * field.
   */
  version: number;
}

/** Query parameters of DELETE /volumes/{name}. */
export interface VolumeDeleteQuery {
  /** Force the removal of the volume */
  force?: boolean;
}

/** Response 200 of POST /volumes/prune. */
export interface VolumePrune200Response {
  /** Volumes that were deleted */
  VolumesDeleted?: string[];
  /** Disk space reclaimed in bytes */
  SpaceReclaimed?: number;
}

/** Success response of POST /volumes/prune. */
export type VolumePruneResponse = VolumePrune200Response;

/** Query parameters of POST /volumes/prune. */
export interface VolumePruneQuery {
  /** Filters to process on the prune list, encoded as JSON (a `map[string][]string`). */
  filters?: string;
}

/** Response 200 of GET /networks. */
export type NetworkList200Response = NetworkSummary[];

/** Success response of GET /networks. */
export type NetworkListResponse = NetworkList200Response;

/** Query parameters of GET /networks. */
export interface NetworkListQuery {
  /**
   * JSON encoded value of the filters (a `map[string][]string`) to process
   * on the networks list.
   */
  filters?: string;
}

/** Success response of GET /networks/{id}. */
export type NetworkInspectResponse = NetworkInspect;

/** Query parameters of GET /networks/{id}. */
export interface NetworkInspectQuery {
  /** Detailed inspect output for troubleshooting */
  verbose?: boolean;
  /** Filter the network by scope (swarm, global, or local) */
  scope?: string;
}

/** Request body of POST /networks/create. */
export interface NetworkCreateBody {
  /** The network's name. */
  Name: string;
  /** Name of the network driver plugin to use. */
  Driver?: string;
  /**
   * The level at which the network exists (e.g. `swarm` for cluster-wide
   * or `local` for machine level).
   */
  Scope?: string;
  /** Restrict external access to the network. */
  Internal?: boolean;
  /**
   * Globally scoped network is manually attachable by regular
   * containers from workers in swarm mode.
   */
  Attachable?: boolean;
  /**
   * Ingress network is the network which provides the routing-mesh
   * in swarm mode.
   */
  Ingress?: boolean;
  /**
   * Creates a config-only network. Config-only networks are placeholder
   * networks for network configurations to be used by other networks.
   * Config-only networks cannot be used directly to run containers
   * or services.
   */
  ConfigOnly?: boolean;
  /**
   * Specifies the source which will provide the configuration for
   * this network. The specified network must be an existing
   * config-only network; see ConfigOnly.
   */
  ConfigFrom?: ConfigReference;
  /** Optional custom IP scheme for the network. */
  IPAM?: IPAM;
  /** Enable IPv4 on the network. */
  EnableIPv4?: boolean;
  /** Enable IPv6 on the network. */
  EnableIPv6?: boolean;
  /** Network specific options to be used by the drivers. */
  Options?: Record<string, string>;
  /** User-defined key/value metadata. */
  Labels?: Record<string, string>;
}

/** Response 200 of POST /networks/prune. */
export interface NetworkPrune200Response {
  /** Networks that were deleted */
  NetworksDeleted?: string[];
}

/** Success response of POST /networks/prune. */
export type NetworkPruneResponse = NetworkPrune200Response;

/** Query parameters of POST /networks/prune. */
export interface NetworkPruneQuery {
  /** Filters to process on the prune list, encoded as JSON (a `map[string][]string`). */
  filters?: string;
}

/** Response 200 of GET /plugins. */
export type PluginList200Response = Plugin[];

/** Success response of GET /plugins. */
export type PluginListResponse = PluginList200Response;

/** Query parameters of GET /plugins. */
export interface PluginListQuery {
  /**
   * A JSON encoded value of the filters (a `map[string][]string`) to
   * process on the plugin list.
   */
  filters?: string;
}

/** Response 200 of GET /plugins/privileges. */
export type GetPluginPrivileges200Response = PluginPrivilege[];

/** Success response of GET /plugins/privileges. */
export type GetPluginPrivilegesResponse = GetPluginPrivileges200Response;

/** Query parameters of GET /plugins/privileges. */
export interface GetPluginPrivilegesQuery {
  /**
   * The name of the plugin. The `:latest` tag is optional, and is the
   * default if omitted.
   */
  remote: string;
}

/** Request body of POST /plugins/pull. */
export type PluginPullBody = PluginPrivilege[];

/** Query parameters of POST /plugins/pull. */
export interface PluginPullQuery {
  /** Remote reference for plugin to install. */
  remote: string;
  /** Local name for the pulled plugin. */
  name?: string;
}

/** Success response of GET /plugins/{name}/json. */
export type PluginInspectResponse = Plugin;

/** Success response of DELETE /plugins/{name}. */
export type PluginDeleteResponse = Plugin;

/** Query parameters of DELETE /plugins/{name}. */
export interface PluginDeleteQuery {
  /**
   * Disable the plugin before removing. This may result in issues if the
   * plugin is in use by a container.
   */
  force?: boolean;
}

/** Query parameters of POST /plugins/{name}/enable. */
export interface PluginEnableQuery {
  /** Set the HTTP client timeout (in seconds) */
  timeout?: number;
}

/** Query parameters of POST /plugins/{name}/disable. */
export interface PluginDisableQuery {
  /** Force disable a plugin even if still in use. */
  force?: boolean;
}

/** Request body of POST /plugins/{name}/upgrade. */
export type PluginUpgradeBody = PluginPrivilege[];

/** Query parameters of POST /plugins/{name}/upgrade. */
export interface PluginUpgradeQuery {
  /** Remote reference to upgrade to. */
  remote: string;
}

/** Query parameters of POST /plugins/create. */
export interface PluginCreateQuery {
  /**
   * The name of the plugin. The `:latest` tag is optional, and is the
   * default if omitted.
   */
  name: string;
}

/** Request body of POST /plugins/{name}/set. */
export type PluginSetBody = string[];

/** Response 200 of GET /nodes. */
export type NodeList200Response = Node[];

/** Success response of GET /nodes. */
export type NodeListResponse = NodeList200Response;

/** Query parameters of GET /nodes. */
export interface NodeListQuery {
  /** Filters to process on the nodes list, encoded as JSON (a `map[string][]string`). */
  filters?: string;
}

/** Success response of GET /nodes/{id}. */
export type NodeInspectResponse = Node;

/** Query parameters of DELETE /nodes/{id}. */
export interface NodeDeleteQuery {
  /** Force remove a node from the swarm */
  force?: boolean;
}

/** Query parameters of POST /nodes/{id}/update. */
export interface NodeUpdateQuery {
  /**
   * The version number of the node object being updated. This is required
   * to avoid conflicting writes.
   */
  version: number;
}

/** Success response of GET /swarm. */
export type SwarmInspectResponse = Swarm;

/** Request body of POST /swarm/init. */
export interface SwarmInitBody {
  /**
   * Listen address used for inter-manager communication, as well
   * as determining the networking interface used for the VXLAN
   * Tunnel Endpoint (VTEP). This can either be an address/port
   * combination in the form `192.168.1.1:4567`, or an interface
   * followed by a port number, like `eth0:4567`. If the port number
   * is omitted, the default swarm listening port is used.
   */
  ListenAddr?: string;
  /**
   * Externally reachable address advertised to other nodes. This
   * can either be an address/port combination in the form
   * `192.168.1.1:4567`, or an interface followed by a port number,
   * like `eth0:4567`. If the port number is omitted, the port
   * number from the listen address is used. If `AdvertiseAddr` is
   * not specified, it will be automatically detected when possible.
   */
  AdvertiseAddr?: string;
  /**
   * Address or interface to use for data path traffic (format:
   * `<ip|interface>`), for example,  `192.168.1.1`, or an interface,
   * like `eth0`. If `DataPathAddr` is unspecified, the same address
   * as `AdvertiseAddr` is used.
   */
  DataPathAddr?: string;
  /**
   * DataPathPort specifies the data path port number for data traffic.
   * Acceptable port range is 1024 to 49151.
   * if no port is set or is set to 0, default port 4789 will be used.
   */
  DataPathPort?: number;
  /**
   * Default Address Pool specifies default subnet pools for global
   * scope networks.
   */
  DefaultAddrPool?: string[];
  /** Force creation of a new swarm. */
  ForceNewCluster?: boolean;
  /**
   * SubnetSize specifies the subnet size of the networks created
   * from the default subnet pool.
   */
  SubnetSize?: number;
  Spec?: SwarmSpec;
}

/** Request body of POST /swarm/join. */
export interface SwarmJoinBody {
  /**
   * Listen address used for inter-manager communication if the node
   * gets promoted to manager, as well as determining the networking
   * interface used for the VXLAN Tunnel Endpoint (VTEP). This is
   * required for joining a swarm. If the port number is omitted,
   * the default swarm listening port is used.
   */
  ListenAddr: string;
  /**
   * Externally reachable address advertised to other nodes. This
   * can either be an address/port combination in the form
   * `192.168.1.1:4567`, or an interface followed by a port number,
   * like `eth0:4567`. If the port number is omitted, the port
   * number from the listen address is used. If `AdvertiseAddr` is
   * not specified, it will be automatically detected when possible.
   */
  AdvertiseAddr?: string;
  /**
   * Address or interface to use for data path traffic (format:
   * `<ip|interface>`), for example,  `192.168.1.1`, or an interface,
   * like `eth0`. If `DataPathAddr` is unspecified, the same address
   * as `AdvertiseAddr` is used.
   */
  DataPathAddr?: string;
  /** Addresses of manager nodes already participating in the swarm. */
  RemoteAddrs: string[];
  /** Secret token for joining this swarm. */
  JoinToken: string;
}

/** Query parameters of POST /swarm/leave. */
export interface SwarmLeaveQuery {
  /**
   * Force leave swarm, even if this is the last manager or that it will
   * break the cluster.
   */
  force?: boolean;
}

/** Query parameters of POST /swarm/update. */
export interface SwarmUpdateQuery {
  /**
   * The version number of the swarm object being updated. This is
   * required to avoid conflicting writes.
   */
  version: number;
  /** Rotate the worker join token. */
  rotateWorkerToken?: boolean;
  /** Rotate the manager join token. */
  rotateManagerToken?: boolean;
  /** Rotate the manager unlock key. */
  rotateManagerUnlockKey?: boolean;
}

/** Response 200 of GET /swarm/unlockkey. */
export interface SwarmUnlockkey200Response {
  /** The swarm's unlock key. */
  UnlockKey?: string;
}

/** Success response of GET /swarm/unlockkey. */
export type SwarmUnlockkeyResponse = SwarmUnlockkey200Response;

/** Request body of POST /swarm/unlock. */
export interface SwarmUnlockBody {
  /** The swarm's unlock key. */
  UnlockKey?: string;
}

/** Response 200 of GET /services. */
export type ServiceList200Response = Service[];

/** Success response of GET /services. */
export type ServiceListResponse = ServiceList200Response;

/** Query parameters of GET /services. */
export interface ServiceListQuery {
  /**
   * A JSON encoded value of the filters (a `map[string][]string`) to
   * process on the services list.
   */
  filters?: string;
  /** Include service status, with count of running and desired tasks. */
  status?: boolean;
}

/** Request body of POST /services/create. */
export type ServiceCreateBody = ServiceSpec;

/** Success response of GET /services/{id}. */
export type ServiceInspectResponse = Service;

/** Query parameters of GET /services/{id}. */
export interface ServiceInspectQuery {
  /** Fill empty fields with default values. */
  insertDefaults?: boolean;
}

/** Request body of POST /services/{id}/update. */
export type ServiceUpdateBody = ServiceSpec;

/** Query parameters of POST /services/{id}/update. */
export interface ServiceUpdateQuery {
  /**
   * The version number of the service object being updated. This is
   * required to avoid conflicting writes.
   * This version number should be the value as currently set on the
   * service *before* the update. You can find the current version by
   * calling `GET /services/{id}`
   */
  version: number;
  /**
   * If the `X-Registry-Auth` header is not specified, this parameter
   * indicates where to find registry authorization credentials.
   */
  registryAuthFrom?: "spec" | "previous-spec";
  /**
   * Set to this parameter to `previous` to cause a server-side rollback
   * to the previous service spec. The supplied spec will be ignored in
   * this case.
   */
  rollback?: string;
}

/** Query parameters of GET /services/{id}/logs. */
export interface ServiceLogsQuery {
  /** Show service context and extra details provided to logs. */
  details?: boolean;
  /** Keep connection after returning logs. */
  follow?: boolean;
  /** Return logs from `stdout` */
  stdout?: boolean;
  /** Return logs from `stderr` */
  stderr?: boolean;
  /** Only return logs since this time, as a UNIX timestamp */
  since?: number;
  /** Add timestamps to every log line */
  timestamps?: boolean;
  /**
   * Only return this number of log lines from the end of the logs.
   * Specify as an integer or `all` to output all log lines.
   */
  tail?: string;
}

/** Response 200 of GET /tasks. */
export type TaskList200Response = Task[];

/** Success response of GET /tasks. */
export type TaskListResponse = TaskList200Response;

/** Query parameters of GET /tasks. */
export interface TaskListQuery {
  /**
   * A JSON encoded value of the filters (a `map[string][]string`) to
   * process on the tasks list.
   */
  filters?: string;
}

/** Success response of GET /tasks/{id}. */
export type TaskInspectResponse = Task;

/** Query parameters of GET /tasks/{id}/logs. */
export interface TaskLogsQuery {
  /** Show task context and extra details provided to logs. */
  details?: boolean;
  /** Keep connection after returning logs. */
  follow?: boolean;
  /** Return logs from `stdout` */
  stdout?: boolean;
  /** Return logs from `stderr` */
  stderr?: boolean;
  /** Only return logs since this time, as a UNIX timestamp */
  since?: number;
  /** Add timestamps to every log line */
  timestamps?: boolean;
  /**
   * Only return this number of log lines from the end of the logs.
   * Specify as an integer or `all` to output all log lines.
   */
  tail?: string;
}

/** Response 200 of GET /secrets. */
export type SecretList200Response = Secret[];

/** Success response of GET /secrets. */
export type SecretListResponse = SecretList200Response;

/** Query parameters of GET /secrets. */
export interface SecretListQuery {
  /**
   * A JSON encoded value of the filters (a `map[string][]string`) to
   * process on the secrets list.
   */
  filters?: string;
}

/** Request body of POST /secrets/create. */
export type SecretCreateBody = SecretSpec;

/** Success response of POST /secrets/create. */
export type SecretCreateResponse = IDResponse;

/** Success response of GET /secrets/{id}. */
export type SecretInspectResponse = Secret;

/** Query parameters of POST /secrets/{id}/update. */
export interface SecretUpdateQuery {
  /**
   * The version number of the secret object being updated. This is
   * required to avoid conflicting writes.
   */
  version: number;
}

/** Response 200 of GET /configs. */
export type ConfigList200Response = Config[];

/** Success response of GET /configs. */
export type ConfigListResponse = ConfigList200Response;

/** Query parameters of GET /configs. */
export interface ConfigListQuery {
  /**
   * A JSON encoded value of the filters (a `map[string][]string`) to
   * process on the configs list.
   */
  filters?: string;
}

/** Request body of POST /configs/create. */
export type ConfigCreateBody = ConfigSpec;

/** Success response of POST /configs/create. */
export type ConfigCreateResponse = IDResponse;

/** Success response of GET /configs/{id}. */
export type ConfigInspectResponse = Config;

/** Query parameters of POST /configs/{id}/update. */
export interface ConfigUpdateQuery {
  /**
   * The version number of the config object being updated. This is
   * required to avoid conflicting writes.
   */
  version: number;
}

/** Success response of GET /distribution/{name}/json. */
export type DistributionInspectResponse = DistributionInspect;
