import type { MetadataDb } from './database.js';

/** Small engine-wide facts (for example whether the offline busybox image was bootstrapped). */
export class MetaRepository {
  private readonly get_;
  private readonly set_;
  constructor(db: MetadataDb) {
    this.get_ = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.set_ = db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
  }
  get(key: string): string | undefined {
    return (this.get_.get(key) as { value: string } | undefined)?.value;
  }
  set(key: string, value: string): void {
    this.set_.run(key, value);
  }
}
