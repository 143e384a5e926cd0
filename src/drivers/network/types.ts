/**
 * The network driver's contract types (shared with the networks service and the DNS server; see
 * the networking contract). All addresses are IPv4; CIDRs are written `a.b.c.d/len`.
 */

/** One Docker-style bridge network as the driver needs it. The service owns the record. */
export interface BridgeNetworkSpec {
  id: string;
  name: string;
  /** Linux bridge device name, ≤ 15 chars (see validateBridgeName). */
  bridge: string;
  /** CIDR of the network, e.g. 10.88.0.0/16. */
  subnet: string;
  /** Gateway address (plain IP, no prefix), assigned to the bridge. */
  gateway: string;
  /** No route out: no NAT, outbound forwarding dropped. */
  internal: boolean;
  /** Inter-container communication on this bridge (Docker's enable_icc). */
  icc: boolean;
  mtu?: number;
  /** Docker's enable_ip_masquerade; absent = true. False: no SNAT for outbound traffic. */
  masquerade?: boolean;
}

/** One published port. */
export interface PortMapping {
  /** '' = all host addresses. */
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
}

/** What the service asks for when it connects a sandbox to a network. */
export interface AttachRequest {
  containerId: string;
  netnsPath: string;
  /** eth0, eth1 … */
  ifName: string;
  /** CIDR, e.g. 10.88.0.5/16, chosen by the service's IPAM. */
  address: string;
  /** The container end's MAC (`--mac-address`); absent = Docker's 02:42 + the IPv4 bytes. */
  mac?: string;
  portMappings: PortMapping[];
}

/** The result of an attach, as inspect shows it. */
export interface Attachment {
  ifName: string;
  /** CIDR. */
  address: string;
  gateway: string;
  mac: string;
}

/** Constructor options of NetworkDriver. */
export interface NetworkDriverOptions {
  /** Persistent directory under the data root (cached ADD results). */
  stateDir: string;
  /** Exec root; sandboxes are bind-mounted under runDir/netns/<id>. */
  runDir: string;
  /** CNI plugin directory; default /usr/lib/cni. */
  cniPath?: string;
  /**
   * How a sandbox's veth is made: 'ip' (default; two `ip -batch` spawns) or 'cni' (the bridge
   * plugin with static IPAM). Both give the same result; see README.md for the measurements.
   */
  veth?: 'ip' | 'cni';
  log: (m: string) => void;
}
