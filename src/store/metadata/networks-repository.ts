import { conflict } from '../../errors/index.js';
import type { MetadataDb } from './database.js';

/** A stored network. `config` is opaque JSON owned by the networks service. */
export interface StoredNetwork<C> {
  id: string;
  name: string;
  driver: string;
  createdAt: string;
  config: C;
}

/** A container's membership of a network, with its lease while the container runs. */
export interface StoredEndpoint<E> {
  networkId: string;
  containerId: string;
  /** Order of attachment: the lowest is eth0. */
  seq: number;
  config: E;
  /** The leased IPv4 (no prefix) while running; null otherwise. */
  address: string | null;
  endpointId: string | null;
  mac: string | null;
  ifName: string | null;
}

/** A running container's network namespace and the host ports it was given (JSON). */
export interface StoredSandbox {
  containerId: string;
  path: string;
  ports: string;
}

interface NetworkRow {
  id: string;
  name: string;
  driver: string;
  created_at: string;
  config: string;
}

interface EndpointRow {
  network_id: string;
  container_id: string;
  seq: number;
  config: string;
  address: string | null;
  endpoint_id: string | null;
  mac: string | null;
  if_name: string | null;
}

const toNetwork = <C>(r: NetworkRow): StoredNetwork<C> => ({
  id: r.id,
  name: r.name,
  driver: r.driver,
  createdAt: r.created_at,
  config: JSON.parse(r.config) as C,
});

const toEndpoint = <E>(r: EndpointRow): StoredEndpoint<E> => ({
  networkId: r.network_id,
  containerId: r.container_id,
  seq: r.seq,
  config: JSON.parse(r.config) as E,
  address: r.address,
  endpointId: r.endpoint_id,
  mac: r.mac,
  ifName: r.if_name,
});

const isUnique = (e: unknown): boolean =>
  (e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' ||
  (e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY';

/**
 * Networks, endpoints (memberships and leases) and sandboxes. Every statement is one short
 * implicit transaction; a lease is claimed by one UPDATE that the UNIQUE index guards.
 */
export class NetworksRepository<C, E> {
  constructor(private readonly db: MetadataDb) {}

  /** Inserts a network; a taken name or id → Conflict. */
  insert(n: StoredNetwork<C>): void {
    try {
      this.db
        .prepare(
          'INSERT INTO networks (id, name, driver, created_at, config) VALUES (?, ?, ?, ?, ?)',
        )
        .run(n.id, n.name, n.driver, n.createdAt, JSON.stringify(n.config));
    } catch (e) {
      if (isUnique(e)) throw conflict(`network with name ${n.name} already exists`);
      throw e;
    }
  }

  updateConfig(id: string, config: C): void {
    this.db.prepare('UPDATE networks SET config = ? WHERE id = ?').run(JSON.stringify(config), id);
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM networks WHERE id = ?').run(id);
  }

  all(): StoredNetwork<C>[] {
    const rows = this.db.prepare('SELECT * FROM networks ORDER BY created_at, name').all();
    return (rows as NetworkRow[]).map((r) => toNetwork<C>(r));
  }

  byId(id: string): StoredNetwork<C> | undefined {
    const r = this.db.prepare('SELECT * FROM networks WHERE id = ?').get(id);
    return r ? toNetwork<C>(r as NetworkRow) : undefined;
  }

  byName(name: string): StoredNetwork<C> | undefined {
    const r = this.db.prepare('SELECT * FROM networks WHERE name = ?').get(name);
    return r ? toNetwork<C>(r as NetworkRow) : undefined;
  }

  byIdPrefix(prefix: string): StoredNetwork<C>[] {
    const rows = this.db.prepare("SELECT * FROM networks WHERE id LIKE ? || '%'").all(prefix);
    return (rows as NetworkRow[]).map((r) => toNetwork<C>(r));
  }

  /** Adds a membership (not yet leased); already a member → Conflict. */
  addEndpoint(networkId: string, containerId: string, config: E): void {
    try {
      this.db
        .prepare(
          `INSERT INTO network_endpoints (network_id, container_id, seq, config)
           VALUES (?, ?, (SELECT COALESCE(MAX(seq), -1) + 1 FROM network_endpoints WHERE container_id = ?), ?)`,
        )
        .run(networkId, containerId, containerId, JSON.stringify(config));
    } catch (e) {
      if (isUnique(e)) throw conflict('endpoint already exists in network');
      throw e;
    }
  }

  removeEndpoint(networkId: string, containerId: string): void {
    this.db
      .prepare('DELETE FROM network_endpoints WHERE network_id = ? AND container_id = ?')
      .run(networkId, containerId);
  }

  /** A container's memberships in attachment order. */
  endpointsOf(containerId: string): StoredEndpoint<E>[] {
    const rows = this.db
      .prepare('SELECT * FROM network_endpoints WHERE container_id = ? ORDER BY seq')
      .all(containerId);
    return (rows as EndpointRow[]).map((r) => toEndpoint<E>(r));
  }

  /** A network's memberships. */
  endpointsIn(networkId: string): StoredEndpoint<E>[] {
    const rows = this.db
      .prepare('SELECT * FROM network_endpoints WHERE network_id = ? ORDER BY seq')
      .all(networkId);
    return (rows as EndpointRow[]).map((r) => toEndpoint<E>(r));
  }

  /** Leased addresses on a network. */
  leases(networkId: string): Set<string> {
    const rows = this.db
      .prepare('SELECT address FROM network_endpoints WHERE network_id = ? AND address IS NOT NULL')
      .all(networkId) as { address: string }[];
    return new Set(rows.map((r) => r.address));
  }

  /** Claims `address` for a membership; taken by another → false. */
  lease(networkId: string, containerId: string, address: string, endpointId: string): boolean {
    try {
      this.db
        .prepare(
          'UPDATE network_endpoints SET address = ?, endpoint_id = ? WHERE network_id = ? AND container_id = ?',
        )
        .run(address, endpointId, networkId, containerId);
      return true;
    } catch (e) {
      if (isUnique(e)) return false;
      throw e;
    }
  }

  /** Records what the driver reported after the attach. */
  setAttached(networkId: string, containerId: string, mac: string, ifName: string): void {
    this.db
      .prepare(
        'UPDATE network_endpoints SET mac = ?, if_name = ? WHERE network_id = ? AND container_id = ?',
      )
      .run(mac, ifName, networkId, containerId);
  }

  /** Releases a membership's lease (the membership stays). */
  release(networkId: string, containerId: string): void {
    this.db
      .prepare(
        `UPDATE network_endpoints SET address = NULL, endpoint_id = NULL, mac = NULL, if_name = NULL
         WHERE network_id = ? AND container_id = ?`,
      )
      .run(networkId, containerId);
  }

  saveSandbox(s: StoredSandbox): void {
    this.db
      .prepare(
        `INSERT INTO sandboxes (container_id, path, ports) VALUES (?, ?, ?)
         ON CONFLICT(container_id) DO UPDATE SET path = excluded.path, ports = excluded.ports`,
      )
      .run(s.containerId, s.path, s.ports);
  }

  sandbox(containerId: string): StoredSandbox | undefined {
    const r = this.db.prepare('SELECT * FROM sandboxes WHERE container_id = ?').get(containerId) as
      { container_id: string; path: string; ports: string } | undefined;
    return r ? { containerId: r.container_id, path: r.path, ports: r.ports } : undefined;
  }

  sandboxes(): StoredSandbox[] {
    const rows = this.db.prepare('SELECT * FROM sandboxes').all() as {
      container_id: string;
      path: string;
      ports: string;
    }[];
    return rows.map((r) => ({ containerId: r.container_id, path: r.path, ports: r.ports }));
  }

  removeSandbox(containerId: string): void {
    this.db.prepare('DELETE FROM sandboxes WHERE container_id = ?').run(containerId);
  }
}
