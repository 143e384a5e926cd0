import { systemError } from '../../../errors/index.js';
import { DnsListener } from './listener.js';
import { parseUpstream, type Upstream } from './forwarder.js';
import type { DnsLookup, DnsReverseLookup } from './responder.js';

/** Optional answers a network's server can give beyond its names. */
export interface ServeExtras {
  /** PTR answers: the name owning an IP on the network. */
  reverse?: DnsReverseLookup;
  /**
   * A client's own upstreams by its source IP: a container started with --dns forwards there
   * instead (Docker's rule: the embedded server stands in for the container's nameservers).
   * Undefined or [] = the daemon's upstreams.
   */
  upstreamsFor?: (clientIp: string) => string[] | undefined;
}

/** How EmbeddedDns is set up. */
export interface EmbeddedDnsOptions {
  /**
   * Upstream resolvers for names that are not the network's (`IP`, `IP:port`, `[IPv6]:port`),
   * tried in order. [] = never forward anything: such queries get SERVFAIL at once.
   */
  upstreams: string[];
  log: (m: string) => void;
  /** How long to wait for each upstream (default 2000 ms). */
  upstreamTimeoutMs?: number;
  /** The port to serve on (default 53; tests of the server alone may pick another). */
  port?: number;
}

/**
 * Docker's embedded DNS server for user-defined networks: one UDP+TCP listener per network on
 * its gateway address, in berthd's own namespace. Containers on the network resolve each other
 * by name, alias and short id (through the network's lookup); everything else goes upstream.
 * Calls for one network are serialized by the caller (the networks service); the server itself
 * keeps no state beyond its sockets, so a daemon restart simply serves again.
 */
export class EmbeddedDns {
  private readonly upstreams: Upstream[];
  private readonly listeners = new Map<string, { address: string; listener: DnsListener }>();
  private readonly timeoutMs: number;
  private readonly port: number;
  private readonly log: (m: string) => void;

  /** Throws an Error when an upstream is not a valid address. */
  constructor(opts: EmbeddedDnsOptions) {
    this.upstreams = opts.upstreams.map(parseUpstream);
    this.timeoutMs = opts.upstreamTimeoutMs ?? 2000;
    this.port = opts.port ?? 53;
    this.log = opts.log;
  }

  /**
   * Serves a network's names on `address` (its gateway IP, which must already be assigned on the
   * host). Serving a network again replaces its listener (e.g. a new lookup). Rejects with a
   * System BerthError when the address cannot be bound.
   */
  async serve(
    networkId: string,
    address: string,
    lookup: DnsLookup,
    extras: ServeExtras = {},
  ): Promise<void> {
    await this.stop(networkId);
    let listener: DnsListener;
    try {
      listener = await DnsListener.open({
        address,
        port: this.port,
        lookup,
        reverse: extras.reverse,
        upstreamsFor: extras.upstreamsFor,
        upstreams: this.upstreams,
        timeoutMs: this.timeoutMs,
      });
    } catch (e) {
      throw systemError(
        `embedded DNS for network ${networkId}: cannot listen on ${address}:${this.port}: ${(e as Error).message}`,
        e,
      );
    }
    this.listeners.set(networkId, { address, listener });
    this.log(`embedded DNS serving network ${networkId.slice(0, 12)} on ${address}:${this.port}`);
  }

  /** Stops serving a network and releases its sockets. Idempotent. */
  async stop(networkId: string): Promise<void> {
    const entry = this.listeners.get(networkId);
    if (!entry) return;
    this.listeners.delete(networkId);
    await entry.listener.close();
  }

  /** The networks served now and their addresses (for `info`-style reporting and tests). */
  served(): Map<string, string> {
    return new Map([...this.listeners].map(([id, e]) => [id, e.address]));
  }

  /** Stops every network's server (at daemon shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.listeners.keys()].map((id) => this.stop(id)));
  }
}
