/**
 * The networks service's own model. The HTTP edge maps Docker's wire types to and from these.
 */
import type { StoredEndpoint, StoredNetwork } from '../../store/metadata/networks-repository.js';
import type { PortMapping } from '../../drivers/network/index.js';

/** Docker's driver names: `bridge` networks are real; `host` and `null` are the predefined modes. */
export type NetworkDriverName = 'bridge' | 'host' | 'null';

/** The stored configuration of a network (empty strings for host/null). */
export interface NetworkConfig {
  /** Linux bridge device. */
  bridge: string;
  /** CIDR. */
  subnet: string;
  /** Plain IPv4. */
  gateway: string;
  /** CIDR the dynamic addresses come from; null = the whole subnet. */
  ipRange: string | null;
  internal: boolean;
  attachable: boolean;
  icc: boolean;
  mtu?: number;
  /** Docker's enable_ip_masquerade: false leaves outbound traffic un-NATed; absent = true. */
  masquerade?: boolean;
  /** Docker's host_binding_ipv4: the host address of ports published without one. */
  hostBindingIpv4?: string;
  /** `--aux-address name=ip`: addresses the IPAM never hands out; absent = none. */
  auxAddresses?: Record<string, string>;
  labels: Record<string, string>;
  /** `-o` options as given (Docker echoes them). */
  options: Record<string, string>;
  /** The IPAM config was given by the user (inspect echoes Subnet/Gateway either way). */
  userIpam: boolean;
}

/** What a membership remembers: the user's endpoint settings. */
export interface EndpointConfig {
  /** Requested static IPv4 (`--ip`), or null for a dynamic one. */
  ipv4: string | null;
  aliases: string[];
  /** Legacy links `<container>:<alias>` (default bridge only). */
  links: string[];
  /** Requested MAC (`--mac-address`, lower case), used at every start; absent = derived. */
  mac?: string;
}

/** A user's endpoint settings for one network (EndpointsConfig entry, connect's EndpointConfig). */
export interface EndpointWish {
  ipv4?: string;
  aliases?: string[];
  mac?: string;
}

export type Network = StoredNetwork<NetworkConfig>;
export type Endpoint = StoredEndpoint<EndpointConfig>;

/** POST /networks/create, in the service's terms. */
export interface CreateNetworkRequest {
  name: string;
  driver?: string;
  internal?: boolean;
  attachable?: boolean;
  ipam?: {
    driver?: string;
    configs: {
      subnet?: string;
      gateway?: string;
      ipRange?: string;
      auxAddresses?: Record<string, string>;
    }[];
  };
  /** Swarm and config-only networks: not served (create refuses them). */
  scope?: string;
  ingress?: boolean;
  configOnly?: boolean;
  configFrom?: string;
  options?: Record<string, string>;
  labels?: Record<string, string>;
  enableIpv6?: boolean;
}

/** One container on a network, as network inspect shows it. */
export interface NetworkMember {
  containerId: string;
  name: string;
  endpointId: string;
  mac: string;
  /** CIDR. */
  ipv4: string;
}

/** A network with the containers running on it. */
export interface NetworkView extends Network {
  members: NetworkMember[];
}

/** A container as the networks service needs to see it. */
export interface ContainerRef {
  id: string;
  name: string;
  hostname: string;
  running: boolean;
  networkMode: string;
  /** Legacy `--link`s (`name[:alias]`), for its /etc/hosts; absent: none. */
  links?: string[];
}

/**
 * How the networks service reaches containers (implemented over the containers service by the
 * daemon). `withLock` runs `fn` under the container's lifecycle lock, so a connect never races a
 * start or an exit; it throws NotFound `No such container: <id>`.
 */
export interface ContainerAccess {
  withLock<T>(idOrName: string, fn: (c: ContainerRef) => Promise<T>): Promise<T>;
  /** A container by full id (for DNS and inspect), undefined when it is gone. No lock. */
  peek(id: string): ContainerRef | undefined;
  /** A container by id, name or unique prefix, undefined when none. No lock. */
  find(idOrName: string): ContainerRef | undefined;
  /** Rewrites a running container's /etc/hosts and resolv.conf after its networks changed. */
  refreshEtc(id: string, facts: EtcFacts): Promise<void>;
}

/** A container's network request, stored in its config at create. */
export interface ContainerNetworkRequest {
  /** Docker's NetworkMode: default, bridge, none, host, container:<id>, or a network. */
  mode: string;
  /** EndpointsConfig by network name or id. */
  endpoints: Record<string, EndpointWish>;
  links: string[];
}

/** Published and exposed ports of a container (`<port>/<proto>` keys, as Docker writes them). */
export interface PortsConfig {
  exposed: string[];
  bindings: Record<string, { hostIp: string; hostPort: string }[]>;
  publishAll: boolean;
}

/** The facts the container's /etc files need (see containers/etc-files.ts). */
export interface EtcFacts {
  ips: string[];
  embeddedDns: string | null;
  hostGateway: string | null;
  links: { ip: string; names: string[] }[];
}

/** The network namespace a container's spec gets, and its /etc facts. */
export interface NetworkSetup {
  netns: { path: string } | 'host' | 'none-new';
  facts: EtcFacts;
}

/**
 * The first phase of a two-phase set-up (a container whose netns runc creates inside its user
 * namespace): ports checked and reserved in the sandbox row, nothing attached yet. Finished by
 * `attachToPid` once the container's init exists, or undone by `tearDown`.
 */
export interface PendingNetwork {
  containerId: string;
  /** Where the netns will be pinned (the container's usual sandbox path). */
  path: string;
  /** eth0's published ports, resolved and checked. */
  mappings: PortMapping[];
  links: string[];
}

/** What `prepare` returns: a ready set-up, or (with `pending`) a new netns runc is to create. */
export type PreparedNetwork = NetworkSetup & { pending?: PendingNetwork };

/** One published port as inspect shows it. */
export interface PublishedPort {
  hostIp: string;
  hostPort: string;
}

/** A container's endpoint on one network, as inspect shows it. */
export interface EndpointView {
  networkId: string;
  endpointId: string;
  ipAddress: string;
  prefixLen: number;
  gateway: string;
  mac: string;
  aliases: string[];
  dnsNames: string[];
  ipv4Requested: string | null;
}

/** NetworkSettings of a container. */
export interface NetworkSettingsView {
  sandboxKey: string;
  /** Keyed `<port>/<proto>`; null for exposed but unpublished ports. */
  ports: Record<string, PublishedPort[] | null>;
  networks: Record<string, EndpointView>;
}
