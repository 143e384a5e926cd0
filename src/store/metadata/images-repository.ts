import type { Statement } from 'better-sqlite3';
import type { MetadataDb } from './database.js';

/** One layer of a stored image, bottom first. */
export interface StoredLayer {
  digest: string;
  diffId: string;
  chainId: string;
  size: number;
}

/** A stored image: its id is the digest of its config blob. */
export interface StoredImage {
  id: string;
  manifestDigest: string | null;
  created: string | null;
  size: number;
  storedAt: string;
  layers: StoredLayer[];
  refs: string[];
}

interface ImageRow {
  id: string;
  manifest_digest: string | null;
  created: string | null;
  size: number;
  stored_at: string;
}

/** Images, their layers and the references (tags, digests) that name them. */
export class ImagesRepository {
  private readonly stmts;

  constructor(private readonly db: MetadataDb) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO images (id, manifest_digest, created, size, stored_at)
         VALUES (@id, @manifestDigest, @created, @size, @storedAt)
         ON CONFLICT(id) DO NOTHING`,
      ),
      insertLayer: db.prepare(
        `INSERT OR IGNORE INTO image_layers (image_id, idx, digest, diff_id, chain_id, size)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      setRef: db.prepare(
        `INSERT INTO image_refs (ref, image_id) VALUES (?, ?)
         ON CONFLICT(ref) DO UPDATE SET image_id = excluded.image_id`,
      ),
      deleteRef: db.prepare('DELETE FROM image_refs WHERE ref = ?'),
      byId: db.prepare('SELECT * FROM images WHERE id = ?'),
      byIdPrefix: db.prepare("SELECT * FROM images WHERE id >= ? AND id < ? || 'g' LIMIT 2"),
      byRef: db.prepare(
        'SELECT images.* FROM image_refs JOIN images ON images.id = image_refs.image_id WHERE ref = ?',
      ),
      all: db.prepare('SELECT * FROM images ORDER BY stored_at DESC'),
      layers: db.prepare(
        'SELECT digest, diff_id, chain_id, size FROM image_layers WHERE image_id = ? ORDER BY idx',
      ),
      refs: db.prepare('SELECT ref FROM image_refs WHERE image_id = ? ORDER BY ref'),
      remove: db.prepare('DELETE FROM images WHERE id = ?'),
      setParent: db.prepare('UPDATE images SET parent_id = ? WHERE id = ? AND parent_id IS NULL'),
      parentOf: db.prepare('SELECT parent_id AS p FROM images WHERE id = ?'),
      childCount: db.prepare('SELECT count(*) AS n FROM images WHERE parent_id = ?'),
      parents: db.prepare('SELECT DISTINCT parent_id AS p FROM images WHERE parent_id IS NOT NULL'),
      chainInUse: db.prepare('SELECT count(*) AS n FROM image_layers WHERE chain_id = ?'),
      blobInUse: db.prepare(
        `SELECT (SELECT count(*) FROM image_layers WHERE digest = @d)
              + (SELECT count(*) FROM images WHERE manifest_digest = @d OR id = @d) AS n`,
      ),
      containersUsing: db.prepare(
        'SELECT id, status FROM containers WHERE image_id = ? ORDER BY created_at',
      ),
      refsWithBlob: db.prepare(
        `SELECT DISTINCT r.ref FROM image_refs r
         WHERE r.image_id = @d
            OR r.image_id IN (SELECT image_id FROM image_layers WHERE digest = @d)
         ORDER BY r.ref`,
      ),
    };
  }

  private hydrate(r: ImageRow): StoredImage {
    const layers = (
      this.stmts.layers.all(r.id) as {
        digest: string;
        diff_id: string;
        chain_id: string;
        size: number;
      }[]
    ).map((l) => ({ digest: l.digest, diffId: l.diff_id, chainId: l.chain_id, size: l.size }));
    const refs = (this.stmts.refs.all(r.id) as { ref: string }[]).map((x) => x.ref);
    return {
      id: r.id,
      manifestDigest: r.manifest_digest,
      created: r.created,
      size: r.size,
      storedAt: r.stored_at,
      layers,
      refs,
    };
  }

  /** Registers an image with its layers and references in one transaction. */
  add(img: Omit<StoredImage, 'refs'>, refs: readonly string[]): void {
    this.db.transaction(() => {
      this.stmts.insert.run({
        id: img.id,
        manifestDigest: img.manifestDigest,
        created: img.created,
        size: img.size,
        storedAt: img.storedAt,
      });
      img.layers.forEach((l, i) =>
        this.stmts.insertLayer.run(img.id, i, l.digest, l.diffId, l.chainId, l.size),
      );
      for (const ref of refs) this.stmts.setRef.run(ref, img.id);
    })();
  }

  /** Records the image a build step or commit started from (first writer wins: ids are digests). */
  setParent(imageId: string, parentId: string): void {
    this.stmts.setParent.run(parentId, imageId);
  }

  /** Docker's `Parent`: the image this one was built on, if built here. */
  parentOf(imageId: string): string | null {
    return (this.stmts.parentOf.get(imageId) as { p: string | null } | undefined)?.p ?? null;
  }

  childCount(imageId: string): number {
    return (this.stmts.childCount.get(imageId) as { n: number }).n;
  }

  /** Ids of every image some other image was built on. */
  parents(): Set<string> {
    return new Set((this.stmts.parents.all() as { p: string }[]).map((r) => r.p));
  }

  byId(id: string): StoredImage | undefined {
    const r = this.stmts.byId.get(id) as ImageRow | undefined;
    return r && this.hydrate(r);
  }

  /** Up to two images whose id (sha256:<hex>) starts with `prefix`. */
  byIdPrefix(prefix: string): StoredImage[] {
    return (this.stmts.byIdPrefix.all(prefix, prefix) as ImageRow[]).map((r) => this.hydrate(r));
  }

  byRef(ref: string): StoredImage | undefined {
    const r = this.stmts.byRef.get(ref) as ImageRow | undefined;
    return r && this.hydrate(r);
  }

  all(): StoredImage[] {
    return (this.stmts.all.all() as ImageRow[]).map((r) => this.hydrate(r));
  }

  setRef(ref: string, imageId: string): void {
    this.stmts.setRef.run(ref, imageId);
  }

  deleteRef(ref: string): void {
    this.stmts.deleteRef.run(ref);
  }

  remove(id: string): void {
    this.stmts.remove.run(id);
  }

  /** True while any stored image has blob `digest` as a layer, manifest or config. */
  blobInUse(digest: string): boolean {
    return (this.stmts.blobInUse.get({ d: digest }) as { n: number }).n > 0;
  }

  /** The containers (id, status) created from image `imageId`, oldest first. */
  containersUsing(imageId: string): { id: string; status: string }[] {
    return this.stmts.containersUsing.all(imageId) as { id: string; status: string }[];
  }

  /** References of every image holding blob `digest` as its config (id) or as a layer. */
  refsWithBlob(digest: string): string[] {
    return (this.stmts.refsWithBlob.all({ d: digest }) as { ref: string }[]).map((r) => r.ref);
  }

  // The v3 column's statements are prepared on first use, so this repository still opens over
  // an older schema (the migration tests build v1/v2 databases with it).
  private tagTimeStmts?: { set: Statement; get: Statement };
  private tagTime() {
    this.tagTimeStmts ??= {
      set: this.db.prepare('UPDATE images SET last_tag_time = ? WHERE id = ?'),
      get: this.db.prepare('SELECT last_tag_time AS t FROM images WHERE id = ?'),
    };
    return this.tagTimeStmts;
  }

  /** Records when the image was last tagged (RFC 3339). */
  setLastTagTime(imageId: string, time: string): void {
    this.tagTime().set.run(time, imageId);
  }

  /** When the image was last tagged, or null (never, or no such image). */
  lastTagTime(imageId: string): string | null {
    const r = this.tagTime().get.get(imageId) as { t: string | null } | undefined;
    return r?.t ?? null;
  }

  /**
   * Deletes `refs` and the image in one transaction; throws (SQLite FOREIGN KEY, nothing changed)
   * while a container still references the image.
   */
  removeWithRefs(imageId: string, refs: readonly string[]): void {
    this.db.transaction(() => {
      for (const r of refs) this.stmts.deleteRef.run(r);
      this.stmts.remove.run(imageId);
    })();
  }

  /** True while any stored image still uses the snapshot `chainId`. */
  chainInUse(chainId: string): boolean {
    return (this.stmts.chainInUse.get(chainId) as { n: number }).n > 0;
  }
}
