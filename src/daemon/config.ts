import type { TcpSecurity } from './tls.js';

/** berthd's settings, from its command line. */
export interface DaemonConfig {
  /** Unix socket paths to serve the API on. */
  hosts: string[];
  /** `tcp://ip:port` hosts to serve on too, secured as `tcpSecurity` says. */
  tcpHosts?: string[];
  /** TLS (or explicitly accepted plain TCP) for `tcpHosts`; required when there are any. */
  tcpSecurity?: TcpSecurity;
  /** `-G`: the group owning the unix sockets; default `berth` when that group exists. */
  socketGroup?: string;
  /** `--userns-remap default|user[:group]`: containers run in a user namespace. */
  usernsRemap?: string;
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
  /** `--bridge`: the default bridge network's device. */
  bridge: string;
  /** `--bip`: the default bridge's CIDR with the gateway's host bits; null = a free pool subnet. */
  bip: string | null;
  /** `--default-address-pool base=<CIDR>,size=<n>` entries, tried in order. */
  defaultAddressPools: string[];
  /** `--dns-upstream`: resolvers the embedded DNS forwards to; undefined = the host's. */
  dnsUpstreams?: string[];
  /** `--host-gateway-ip`: what `--add-host NAME:host-gateway` maps to; default the bridge's gateway. */
  hostGatewayIp?: string;
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
  bridge: 'berth0',
  bip: null,
  defaultAddressPools: ['base=172.30.0.0/16,size=24', 'base=10.90.0.0/16,size=24'],
};
