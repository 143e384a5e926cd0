import { NetworksContext, type NetworkDeps } from './context.js';
import { bootNetworks, sweepNetworks } from './boot.js';
import { connectNetwork, disconnectNetwork } from './connect.js';
import { createNetwork } from './create.js';
import { listNetworks, viewOf } from './list.js';
import { planContainer } from './plan.js';
import { checkPorts } from './ports.js';
import { pruneNetworks, removeNetwork } from './remove.js';
import { containerSettings } from './settings.js';
import { attachToPid, prepareContainer, setUpContainer } from './container-setup.js';
import { tearDownContainer } from './setup.js';
import type {
  ContainerAccess,
  ContainerNetworkRequest,
  CreateNetworkRequest,
  EndpointWish,
  NetworkSettingsView,
  NetworkSetup,
  NetworkView,
  PendingNetwork,
  PortsConfig,
  PreparedNetwork,
} from './types.js';

/**
 * The networks service: Docker's network verbs, and the container side of networking (plan at
 * create, set up at start, tear down at exit) that the containers service calls. Each verb
 * lives in its own file; this class wires them to one context.
 */
export class NetworksService {
  private readonly ctx: NetworksContext;

  constructor(deps: NetworkDeps) {
    this.ctx = new NetworksContext(deps);
  }

  /** Wires the containers (they are built after this service, which they depend on). */
  setContainers(access: ContainerAccess): void {
    this.ctx.containers = access;
  }

  create(req: CreateNetworkRequest): Promise<{ id: string; warning: string }> {
    return createNetwork(this.ctx, req);
  }
  inspect(idOrName: string): NetworkView {
    return viewOf(this.ctx, this.ctx.lookup(idOrName));
  }
  list(filters: Record<string, string[]>): NetworkView[] {
    return listNetworks(this.ctx, filters);
  }
  remove(idOrName: string): Promise<void> {
    return removeNetwork(this.ctx, idOrName);
  }
  prune(filters: Record<string, string[]>): Promise<string[]> {
    return pruneNetworks(this.ctx, filters);
  }
  connect(idOrName: string, container: string, want: EndpointWish): Promise<void> {
    return connectNetwork(this.ctx, idOrName, container, want);
  }
  disconnect(idOrName: string, container: string, force: boolean): Promise<void> {
    return disconnectNetwork(this.ctx, idOrName, container, force);
  }

  /** Validates ports (normalised result) — called by container create before its row exists. */
  checkPorts(p: PortsConfig): PortsConfig {
    return checkPorts(p);
  }
  /** Records a new container's memberships; see plan.ts. */
  plan(containerId: string, req: ContainerNetworkRequest, ports: PortsConfig): void {
    planContainer(this.ctx, containerId, req, ports);
  }
  /** Builds a starting container's network; see setup.ts. */
  setUp(c: {
    id: string;
    networkMode: string;
    ports: PortsConfig;
    links: string[];
  }): Promise<NetworkSetup> {
    return setUpContainer(this.ctx, c);
  }
  /**
   * Phase one of a two-phase set-up, for a container whose netns runc creates (remapped
   * containers); see container-setup.ts. Other modes come back ready, as from setUp.
   */
  prepare(c: {
    id: string;
    networkMode: string;
    ports: PortsConfig;
    links: string[];
  }): Promise<PreparedNetwork> {
    return prepareContainer(this.ctx, c);
  }
  /** Phase two: pins the netns of the created container's init and attaches it. */
  attachToPid(pending: PendingNetwork, pid: number): Promise<NetworkSetup> {
    return attachToPid(this.ctx, pending, pid);
  }
  /** Tears a stopped container's network down (idempotent). */
  tearDown(id: string): Promise<void> {
    return tearDownContainer(this.ctx, id);
  }
  /** NetworkSettings for inspect. */
  settings(c: {
    id: string;
    name: string;
    hostname: string;
    networkMode: string;
    ports: PortsConfig;
  }): NetworkSettingsView {
    return containerSettings(this.ctx, c);
  }

  /** Boot, before containers are reconciled. */
  boot(): Promise<void> {
    return bootNetworks(this.ctx);
  }
  /** Boot, after containers are reconciled: crash recovery of sandboxes and leases. */
  sweep(): Promise<void> {
    return sweepNetworks(this.ctx);
  }
  /** Shutdown: embedded DNS servers stop; bridges and container networks stay. */
  /** Stops the embedded DNS and finishes the driver's pending veth releases. */
  async close(): Promise<void> {
    await this.ctx.deps.dns?.close();
    await this.ctx.deps.driver.settle();
  }
}
