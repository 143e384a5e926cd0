import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventBus } from '../events/event-bus.js';
import { NetworkDriver } from '../drivers/network/index.js';
import { EmbeddedDns } from '../drivers/network/dns/index.js';
import type { MetadataDb } from '../store/metadata/database.js';
import { NetworksRepository } from '../store/metadata/networks-repository.js';
import { NetworksService } from '../services/networks/service.js';
import type { DaemonConfig } from './config.js';

/** The host's resolvers from /etc/resolv.conf: berthd runs in the host namespace, so all count. */
async function hostNameservers(): Promise<string[]> {
  const text = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
  return [...text.matchAll(/^\s*nameserver\s+(\d+\.\d+\.\d+\.\d+)\s*$/gm)].map((m) => m[1] ?? '');
}

/**
 * Builds the networks service on its driver and embedded DNS; `boot()` still has to run before
 * containers are reconciled, and `sweep()` after.
 */
export async function buildNetworks(
  cfg: DaemonConfig,
  db: MetadataDb,
  events: EventBus,
): Promise<NetworksService> {
  const driver = new NetworkDriver({
    stateDir: join(cfg.dataRoot, 'network'),
    runDir: cfg.execRoot,
    log: cfg.log,
  });
  const dns = new EmbeddedDns({
    upstreams: cfg.dnsUpstreams ?? (await hostNameservers()),
    log: cfg.log,
  });
  return new NetworksService({
    repo: new NetworksRepository(db),
    driver,
    events,
    dns,
    defaults: { bridge: cfg.bridge, bip: cfg.bip, pools: cfg.defaultAddressPools },
    log: cfg.log,
  });
}
