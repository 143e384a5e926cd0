import { invalidParameter, notFound } from '../../errors/index.js';
import { KeyedMutex } from '../../lib/keyed-mutex.js';
import type { NetworkDriver, BridgeNetworkSpec } from '../../drivers/network/index.js';
import type { EventBus } from '../../events/event-bus.js';
import type { NetworksRepository } from '../../store/metadata/networks-repository.js';
import type { ContainerAccess, EndpointConfig, Network, NetworkConfig } from './types.js';

/** Serves the embedded DNS of user networks (the dns module's EmbeddedDns satisfies it). */
export interface DnsServer {
  serve(networkId: string, address: string, lookup: (name: string) => string[]): Promise<void>;
  stop(networkId: string): Promise<void>;
  close(): Promise<void>;
}

/** Everything the networks service is built from; the daemon wires it. */
export interface NetworkDeps {
  repo: NetworksRepository<NetworkConfig, EndpointConfig>;
  driver: NetworkDriver;
  events: EventBus;
  /** Null until the DNS module exists or when disabled. */
  dns: DnsServer | null;
  /** The default bridge: its device, `--bip` (CIDR with the gateway's host bits), the pools. */
  defaults: { bridge: string; bip: string | null; pools: string[] };
  log: (msg: string) => void;
}

/** The predefined networks, which cannot be created or removed by users. */
export const predefinedNames = new Set(['bridge', 'host', 'none']);

/**
 * Shared machinery of the networks verbs: deps, the container access (set once the containers
 * service exists), and one lock that serialises network-level changes (create, remove, prune)
 * so a name check and the insert, or an in-use check and the delete, cannot interleave.
 */
export class NetworksContext {
  readonly mutex = new KeyedMutex();
  /**
   * Addresses whose interface is still being torn down, by network id: a container removed
   * right after its exit drops its lease rows before the detach ends, and such an address must
   * not be handed out again until its interface is gone.
   */
  readonly draining = new Map<string, Set<string>>();
  private access: ContainerAccess | undefined;

  constructor(readonly deps: NetworkDeps) {}

  set containers(a: ContainerAccess) {
    this.access = a;
  }

  get containers(): ContainerAccess {
    if (!this.access) throw new Error('networks service used before its containers were wired');
    return this.access;
  }

  /** Finds a network by full id, exact name, or unique id prefix (Docker's order). */
  lookup(idOrName: string): Network {
    const { repo } = this.deps;
    const found = repo.byId(idOrName) ?? repo.byName(idOrName);
    if (found) return found;
    if (/^[0-9a-f]+$/.test(idOrName)) {
      const matches = repo.byIdPrefix(idOrName);
      if (matches.length > 1)
        throw invalidParameter(
          `network ${idOrName} is ambiguous (${matches.length} matches found based on ID prefix)`,
        );
      if (matches[0]) return matches[0];
    }
    throw notFound(`network ${idOrName} not found`);
  }

  /** The driver's view of a bridge network. */
  spec(n: Network): BridgeNetworkSpec {
    const c = n.config;
    return {
      id: n.id,
      name: n.name,
      bridge: c.bridge,
      subnet: c.subnet,
      gateway: c.gateway,
      internal: c.internal,
      icc: c.icc,
      ...(c.mtu !== undefined ? { mtu: c.mtu } : {}),
      ...(c.masquerade === false ? { masquerade: false } : {}),
    };
  }

  /** Publishes a network event with Docker's attributes. */
  event(action: string, n: Network, extra: Record<string, string> = {}): void {
    this.deps.events.publish('network', action, n.id, { name: n.name, type: n.driver, ...extra });
  }
}
