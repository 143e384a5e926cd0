import { join } from 'node:path';
import { KeyedMutex } from '../../lib/keyed-mutex.js';
import { AttachmentStore, type AttachmentRecord } from './attachment-state.js';
import { deleteBridge, deleteLink, downLink, ensureBridge } from './bridge-device.js';
import { addChain, delChain, type CniResult, type PluginConfig } from './cni-plugin.js';
import { addVeth } from './veth.js';
import { bridgePlugin } from './bridge-plugin.js';
import { normaliseAddress, validateRequest, validateSpec } from './request-checks.js';
import { applyBatch, deletionsOf, saveTable } from './iptables.js';
import { macFromIp, parseMac, validateBridgeName } from './names.js';
import { ensureBatch, removeBatch } from './network-rules.js';
import {
  assertPortsFree,
  portRemovals,
  portRules,
  publishedPorts,
  randomFreePort,
  validateMapping,
} from './ports.js';
import { Sandboxes } from './sandbox.js';
import type {
  AttachRequest,
  Attachment,
  BridgeNetworkSpec,
  NetworkDriverOptions,
} from './types.js';

/**
 * Docker-style bridge networks for berthd. Owns devices, iptables rules, netns sandboxes and the
 * cached CNI results; decides nothing about which container gets which address (the networks
 * service allocates and persists leases). Every method is safe to call concurrently: work on one
 * network is serialised per bridge, port checks are serialised host-wide. See README.md for the
 * measured design choices (which CNI plugins run per container and which work is per network).
 */
export class NetworkDriver {
  private readonly sandboxes: Sandboxes;
  private readonly state: AttachmentStore;
  private readonly cniPath: string;
  private readonly veth: 'ip' | 'cni';
  private readonly log: (m: string) => void;
  private readonly lock = new KeyedMutex();
  /** Background veth releases by `<containerId>/<ifName>` (see detach). */
  private readonly releasing = new Map<string, Promise<void>>();
  /** Ends a pending release's wait at once (an attach or removeNetwork needs it finished). */
  private readonly hurry = new Map<string, () => void>();

  constructor(opts: NetworkDriverOptions) {
    this.sandboxes = new Sandboxes(join(opts.runDir, 'netns'));
    this.state = new AttachmentStore(join(opts.stateDir, 'attachments'));
    this.cniPath = opts.cniPath ?? '/usr/lib/cni';
    this.veth = opts.veth ?? 'ip';
    this.log = opts.log;
  }

  /** Bridge, sysctls and the network's iptables chains; idempotent (create and every boot). */
  async ensureNetwork(spec: BridgeNetworkSpec): Promise<void> {
    validateSpec(spec);
    await this.lock.run(`net:${spec.bridge}`, async () => {
      await ensureBridge(spec);
      const [f, n] = await Promise.all([saveTable('filter'), saveTable('nat')]);
      await applyBatch(ensureBatch(spec, f, n));
    });
  }

  /** Removes the network's attachments still recorded, its rules, chains and bridge. */
  async removeNetwork(spec: BridgeNetworkSpec): Promise<void> {
    validateBridgeName(spec.bridge);
    for (const rec of await this.state.all())
      if (rec.bridge === spec.bridge) await this.detach(spec, rec.containerId, rec.ifName);
    await this.settle();
    await this.lock.run(`net:${spec.bridge}`, async () => {
      const [f, n] = await Promise.all([saveTable('filter'), saveTable('nat')]);
      await applyBatch(removeBatch(spec, f, n));
      await deleteBridge(spec.bridge);
    });
    this.log(`network ${spec.name}: bridge ${spec.bridge} and its rules removed`);
  }

  /** A new netns with loopback up, bind-mounted under runDir/netns; idempotent. */
  createSandbox(containerId: string): Promise<string> {
    return this.traced(`createSandbox ${containerId}`, () => this.sandboxes.create(containerId));
  }

  /** Where a container's sandbox is (or will be) pinned; does not create it. */
  sandboxPath(containerId: string): string {
    return this.sandboxes.pathOf(containerId);
  }

  /**
   * Pins the netns of process `pid` (runc made it inside the container's user namespace) as the
   * container's sandbox, loopback up; removed, listed and joined like one from createSandbox.
   */
  adoptSandbox(containerId: string, pid: number): Promise<string> {
    return this.traced(`adoptSandbox ${containerId}`, () => this.sandboxes.adopt(containerId, pid));
  }

  /** Deletes the netns (its veths die with it); idempotent. */
  removeSandbox(containerId: string): Promise<void> {
    return this.traced(`removeSandbox ${containerId}`, () => this.sandboxes.remove(containerId));
  }

  /** With BERTH_NET_TRACE set, logs how long each per-container step took (for profiling). */
  private async traced<T>(what: string, f: () => Promise<T>): Promise<T> {
    if (process.env['BERTH_NET_TRACE'] === undefined) return f();
    const t = process.hrtime.bigint();
    try {
      return await f();
    } finally {
      this.log(`net trace: ${what} ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(1)} ms`);
    }
  }

  /** Container ids with a sandbox file, for boot cleanup. */
  listSandboxes(): Promise<string[]> {
    return this.sandboxes.list();
  }

  /**
   * Connects the sandbox to the network: a veth on the bridge with the service's address and the
   * requested MAC or a Docker-style one derived from the address (own `ip` batches, or the CNI bridge plugin with static IPAM when the driver
   * was built with `veth: 'cni'`), then the DNAT rules of its published ports. Ports are checked
   * before anything is created; on any failure what was made is undone.
   */
  async attach(spec: BridgeNetworkSpec, req: AttachRequest): Promise<Attachment> {
    validateSpec(spec);
    validateRequest(req);
    const address = normaliseAddress(spec.subnet, req.address);
    const ip = address.split('/')[0] ?? '';
    for (const m of req.portMappings) validateMapping(m);
    const mac = req.mac !== undefined ? parseMac(req.mac) : macFromIp(ip);
    const work = async (): Promise<Attachment> => {
      // an earlier detach of this eth<n> must be finished, or the name is still taken
      await this.finishRelease(`${req.containerId}/${req.ifName}`);
      const natNow = req.portMappings.length > 0 ? await saveTable('nat') : [];
      await assertPortsFree(req.portMappings, natNow);
      const inv = {
        containerId: req.containerId,
        netns: req.netnsPath,
        ifName: req.ifName,
        cniPath: this.cniPath,
      };
      let chain: PluginConfig[] = [];
      let result: CniResult = {};
      let hostVeth: string;
      if (this.veth === 'cni') {
        chain = [bridgePlugin(spec, address, mac)];
        result = await addChain(chain, inv);
        hostVeth =
          result.interfaces?.find((i) => i.sandbox === undefined && i.name !== spec.bridge)?.name ??
          '';
      } else {
        const gateway = spec.internal ? null : spec.gateway;
        const plan = {
          bridge: spec.bridge,
          netnsPath: req.netnsPath,
          ifName: req.ifName,
          address,
          mac,
          gateway,
        };
        hostVeth = await addVeth(spec.mtu ? { ...plan, mtu: spec.mtu } : plan);
      }
      const rec = {
        networkId: spec.id,
        bridge: spec.bridge,
        containerId: req.containerId,
        ifName: req.ifName,
        netnsPath: req.netnsPath,
        address,
        hostVeth,
        portMappings: req.portMappings,
        cniChain: chain,
        cniResult: result,
      };
      try {
        await this.state.save(rec);
        await applyBatch(portRules(spec.bridge, req.containerId, req.ifName, ip, req.portMappings));
      } catch (e) {
        if (chain.length > 0) await delChain(chain, result, inv).catch(() => undefined);
        else await deleteLink(hostVeth);
        await this.state.delete(req.containerId, req.ifName).catch(() => undefined);
        throw e;
      }
      const realMac = result.interfaces?.find((i) => i.sandbox !== undefined)?.mac ?? mac;
      return { ifName: req.ifName, address, gateway: spec.gateway, mac: realMac };
    };
    // Port checks and rule writes are serialised so two attaches cannot both claim one port.
    return this.traced(`attach ${req.containerId}/${req.ifName}`, () =>
      req.portMappings.length > 0 ? this.lock.run('ports', work) : work(),
    );
  }

  /**
   * Undoes an attach from its persisted record. Before it resolves, the port rules are removed (the
   * host port is free again) and the host veth end is down (the address is unreachable, so the
   * caller may release its lease); the veth itself is released in the background, because the kernel takes
   * ~25 ms to delete a veth and a following removeSandbox makes it unnecessary: with the netns
   * still there the cached chain is DELeted (CNI, reverse order, cached ADD result), without it
   * only a leftover host end is deleted. The record is deleted when that is done, so a crash in
   * between leaves it for the next detach. A later attach of the same container, removeNetwork and
   * settle() wait for it. Tolerates a missing netns, veth or record (idempotent).
   */
  detach(_spec: BridgeNetworkSpec, containerId: string, ifName: string): Promise<void> {
    return this.traced(`detach ${containerId}/${ifName}`, () =>
      this.detachNow(containerId, ifName),
    );
  }

  private async detachNow(containerId: string, ifName: string): Promise<void> {
    const key = `${containerId}/${ifName}`;
    await this.finishRelease(key);
    const rec = await this.state.load(containerId, ifName);
    if (rec === null) return;
    if (rec.portMappings.length > 0)
      await this.lock.run('ports', async () => {
        // The exact rules are known from the record: delete them in one spawn; only when that
        // fails (some already gone) look them up by tag.
        const ip = rec.address.split('/')[0] ?? '';
        const added = portRules(rec.bridge, containerId, ifName, ip, rec.portMappings).nat ?? [];
        await applyBatch({ nat: deletionsOf(added) }).catch(async () =>
          applyBatch(portRemovals(await saveTable('nat'), rec.bridge, containerId, ifName)),
        );
      });
    await downLink(rec.hostVeth); // unreachable now; the service may re-lease the address
    const job = this.release(key, rec)
      .catch((e: unknown) => this.log(`detach ${containerId}/${ifName}: ${(e as Error).message}`))
      .finally(() => {
        if (this.releasing.get(key) !== job) return;
        this.releasing.delete(key);
        this.hurry.delete(key);
      });
    this.releasing.set(key, job);
  }

  /**
   * The background half of detach. It waits RELEASE_DELAY_MS first: detach is almost always
   * followed at once by removeSandbox (stop, rm, run --rm), which destroys the veth for free, and
   * a CNI DEL running beside the umount only competes with it for the CPU (measured: removeSandbox
   * p50 4 → 13 ms).
   */
  private async release(key: string, rec: AttachmentRecord): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, RELEASE_DELAY_MS);
      this.hurry.set(key, () => (clearTimeout(timer), resolve()));
    });
    if (rec.cniChain.length > 0 && (await this.sandboxes.isMounted(rec.netnsPath))) {
      const inv = {
        containerId: rec.containerId,
        netns: rec.netnsPath,
        ifName: rec.ifName,
        cniPath: this.cniPath,
      };
      await delChain(rec.cniChain, rec.cniResult, inv);
    } else await deleteLink(rec.hostVeth);
    await this.state.delete(rec.containerId, rec.ifName);
  }

  /** Every persisted attachment (for boot cleanup: detach those whose container is gone). */
  async attachments(): Promise<{ containerId: string; ifName: string; networkId: string }[]> {
    return (await this.state.all()).map((r) => ({
      containerId: r.containerId,
      ifName: r.ifName,
      networkId: r.networkId,
    }));
  }

  /** Waits for a pending release of `key`, cutting its delay short. */
  private async finishRelease(key: string): Promise<void> {
    this.hurry.get(key)?.();
    await this.releasing.get(key);
  }

  /** Resolves when every background release has finished (daemon shutdown, tests). */
  async settle(): Promise<void> {
    while (this.releasing.size > 0)
      await Promise.all([...this.releasing.keys()].map((k) => this.finishRelease(k)));
  }

  /** A random free host port (ephemeral range) for `-p <ctrPort>` / `-P`, not published by Berth. */
  async randomHostPort(protocol: 'tcp' | 'udp', hostIp = ''): Promise<number> {
    const taken = new Set(publishedPorts(await saveTable('nat')).keys());
    return randomFreePort(protocol, hostIp, taken);
  }
}

/** How long a detached veth waits for its sandbox to be removed before it is DELeted itself. */
const RELEASE_DELAY_MS = 100;
