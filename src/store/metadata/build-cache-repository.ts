import type { MetadataDb } from './database.js';

/** The classic builder's cache: (parent image, step) → result image (see migration 0006). */
export class BuildCacheRepository {
  private readonly stmts;

  constructor(db: MetadataDb) {
    this.stmts = {
      get: db.prepare(
        `SELECT c.image_id AS id FROM build_cache c JOIN images i ON i.id = c.image_id
         WHERE c.parent_id = ? AND c.cache_key = ?`,
      ),
      put: db.prepare(
        `INSERT INTO build_cache (parent_id, cache_key, image_id, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(parent_id, cache_key) DO UPDATE SET image_id = excluded.image_id,
           created_at = excluded.created_at`,
      ),
      list: db.prepare(
        `SELECT c.parent_id AS parentId, c.image_id AS imageId, c.created_at AS createdAt
         FROM build_cache c JOIN images i ON i.id = c.image_id ORDER BY c.created_at, c.rowid`,
      ),
      clear: db.prepare('DELETE FROM build_cache'),
      count: db.prepare('SELECT count(*) AS n FROM build_cache'),
    };
  }

  /** The image a step with `key` produced on `parentId` ('scratch' for none), if still stored. */
  get(parentId: string, key: string): string | undefined {
    return (this.stmts.get.get(parentId, key) as { id: string } | undefined)?.id;
  }

  put(parentId: string, key: string, imageId: string, createdAt: string): void {
    this.stmts.put.run(parentId, key, imageId, createdAt);
  }

  /** Every entry whose image is still stored, oldest first (GET /system/df). */
  list(): { parentId: string; imageId: string; createdAt: string }[] {
    return this.stmts.list.all() as { parentId: string; imageId: string; createdAt: string }[];
  }

  /** Forgets every cache entry (images stay); returns how many there were. */
  clear(): number {
    const n = (this.stmts.count.get() as { n: number }).n;
    this.stmts.clear.run();
    return n;
  }
}
