import type { MetadataDb } from './database.js';

/** One build cache entry as stored (see migrations 0006 and 0007). */
export interface BuildCacheRow {
  parentId: string;
  imageId: string;
  createdAt: string;
  /** The last cache hit (RFC 3339), null when it has had none since it was created. */
  lastUsedAt: string | null;
  /** The build that created it plus one per hit. */
  usageCount: number;
}

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
           created_at = excluded.created_at, last_used_at = NULL, usage_count = 1`,
      ),
      hit: db.prepare(
        `UPDATE build_cache SET last_used_at = ?, usage_count = usage_count + 1
         WHERE parent_id = ? AND cache_key = ?`,
      ),
      forget: db.prepare('DELETE FROM build_cache WHERE image_id = ?'),
      list: db.prepare(
        `SELECT c.parent_id AS parentId, c.image_id AS imageId, c.created_at AS createdAt,
           c.last_used_at AS lastUsedAt, c.usage_count AS usageCount
         FROM build_cache c JOIN images i ON i.id = c.image_id ORDER BY c.created_at, c.rowid`,
      ),
    };
  }

  /** The image a step with `key` produced on `parentId` ('scratch' for none), if still stored. */
  get(parentId: string, key: string): string | undefined {
    return (this.stmts.get.get(parentId, key) as { id: string } | undefined)?.id;
  }

  put(parentId: string, key: string, imageId: string, createdAt: string): void {
    this.stmts.put.run(parentId, key, imageId, createdAt);
  }

  /**
   * Records a cache hit on the entry for (`parentId`, `key`) at `at` (RFC 3339): one UPDATE that
   * stamps its last use and counts it.
   */
  recordHit(parentId: string, key: string, at: string): void {
    this.stmts.hit.run(at, parentId, key);
  }

  /** Every entry whose image is still stored, oldest first (GET /system/df, prune). */
  list(): BuildCacheRow[] {
    return this.stmts.list.all() as BuildCacheRow[];
  }

  /** Forgets the entries whose result is one of `imageIds` (the images stay). */
  forget(imageIds: Iterable<string>): void {
    for (const id of imageIds) this.stmts.forget.run(id);
  }
}
