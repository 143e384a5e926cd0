import type { MetadataDb } from './database.js';

/** A stored volume. */
export interface StoredVolume {
  name: string;
  driver: string;
  /** RFC 3339 (seconds), as Docker shows CreatedAt. */
  createdAt: string;
  labels: Record<string, string>;
  /** The driver options it was created with (driver_opts). */
  options: Record<string, string>;
}

interface VolumeRow {
  name: string;
  driver: string;
  created_at: string;
  labels: string;
  options: string;
}

const hydrate = (r: VolumeRow): StoredVolume => ({
  name: r.name,
  driver: r.driver,
  createdAt: r.created_at,
  labels: JSON.parse(r.labels) as Record<string, string>,
  options: JSON.parse(r.options) as Record<string, string>,
});

/** Statuses in which a container's mounts are live (its rootfs and volumes are in use). */
const liveStatuses = `('running', 'paused', 'restarting')`;

/**
 * Volumes and their references by containers. Callers hold the volumes service's lock for a
 * name around check-then-act sequences; the database's foreign keys are the last word.
 */
export class VolumesRepository {
  private readonly stmts;

  constructor(private readonly db: MetadataDb) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO volumes (name, driver, created_at, labels, options)
         VALUES (@name, @driver, @createdAt, @labels, @options) ON CONFLICT(name) DO NOTHING`,
      ),
      byName: db.prepare('SELECT * FROM volumes WHERE name = ?'),
      all: db.prepare('SELECT * FROM volumes ORDER BY name'),
      remove: db.prepare('DELETE FROM volumes WHERE name = ?'),
      addRef: db.prepare(
        'INSERT OR IGNORE INTO volume_refs (volume_name, container_id) VALUES (?, ?)',
      ),
      refs: db.prepare(
        'SELECT container_id AS id FROM volume_refs WHERE volume_name = ? ORDER BY container_id',
      ),
      refCounts: db.prepare(
        'SELECT volume_name AS name, count(*) AS n FROM volume_refs GROUP BY volume_name',
      ),
      liveUsers: db.prepare(
        `SELECT r.container_id AS id FROM volume_refs r JOIN containers c ON c.id = r.container_id
         WHERE r.volume_name = ? AND c.status IN ${liveStatuses}`,
      ),
    };
  }

  /** Inserts a volume; returns false when the name was already taken (nothing changed). */
  insert(v: StoredVolume): boolean {
    const r = this.stmts.insert.run({
      name: v.name,
      driver: v.driver,
      createdAt: v.createdAt,
      labels: JSON.stringify(v.labels),
      options: JSON.stringify(v.options),
    });
    return r.changes === 1;
  }

  byName(name: string): StoredVolume | undefined {
    const r = this.stmts.byName.get(name) as VolumeRow | undefined;
    return r && hydrate(r);
  }

  all(): StoredVolume[] {
    return (this.stmts.all.all() as VolumeRow[]).map(hydrate);
  }

  /**
   * Deletes the row when no container references the volume, in one transaction. Returns the
   * ids of the referencing containers instead (nothing deleted) when there are any.
   */
  removeUnused(name: string): { removed: boolean; users: string[] } {
    return this.db.transaction(() => {
      const users = this.users(name);
      if (users.length > 0) return { removed: false, users };
      return { removed: this.stmts.remove.run(name).changes === 1, users };
    })();
  }

  /** Records that `containerId` uses each of `names` (the container row must exist). */
  addRefs(containerId: string, names: readonly string[]): void {
    this.db.transaction(() => {
      for (const n of names) this.stmts.addRef.run(n, containerId);
    })();
  }

  /** Ids of the containers (any state) that reference the volume. */
  users(name: string): string[] {
    return (this.stmts.refs.all(name) as { id: string }[]).map((r) => r.id);
  }

  /** Reference counts by volume name (volumes without references are absent). */
  refCounts(): Map<string, number> {
    const rows = this.stmts.refCounts.all() as { name: string; n: number }[];
    return new Map(rows.map((r) => [r.name, r.n]));
  }

  /** Ids of running, paused or restarting containers that reference the volume. */
  liveUsers(name: string): string[] {
    return (this.stmts.liveUsers.all(name) as { id: string }[]).map((r) => r.id);
  }
}
