/** berthd's settings, from its command line. */
export interface DaemonConfig {
  /** Unix socket paths to serve the API on. */
  hosts: string[];
  /** Persistent state: metadata, content, snapshots, container logs. Default /var/lib/berth. */
  dataRoot: string;
  /** Runtime state: bundles, conmon sockets, exit files, runc state. Default /run/berth. */
  execRoot: string;
  /** Absolute cgroup parent of every container. Default /berth. */
  cgroupParent: string;
  /** The static init binary bind-mounted as /sbin/docker-init for `--init`. */
  initPath: string;
  runtimePath: string;
  conmonPath: string;
  /** Where the offline busybox image comes from. */
  busyboxPath: string;
  /** Build busybox:latest from the host's busybox-static when the store has never had it. */
  bootstrapBusybox: boolean;
  /** `--insecure-registry` entries (host[:port] or IPv4 CIDR): plain HTTP; loopback always is. */
  insecureRegistries: string[];
  /** Write log lines to stderr. */
  log: (msg: string) => void;
}

/** Defaults for everything but the logger. */
export const defaultConfig: Omit<DaemonConfig, 'log'> = {
  hosts: ['/run/berth/berth.sock'],
  dataRoot: '/var/lib/berth',
  execRoot: '/run/berth',
  cgroupParent: '/berth',
  initPath: '/usr/bin/tini-static',
  runtimePath: '/usr/sbin/runc',
  conmonPath: '/usr/bin/conmon',
  busyboxPath: '/bin/busybox',
  bootstrapBusybox: true,
  insecureRegistries: [],
};
