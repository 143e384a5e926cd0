import Database from 'better-sqlite3';
import { systemError } from '../../errors/index.js';
import { migrations as allMigrations, type Migration } from './migrations/index.js';

/** An open metadata database. berthd is its only writer; every transaction is short. */
export type MetadataDb = Database.Database;

/**
 * Opens (creating if needed) the metadata database at `path` and brings its schema up to date.
 * WAL mode keeps readers off the writer's back; foreign keys are enforced.
 */
export function openMetadataDb(
  path: string,
  migrations: readonly Migration[] = allMigrations,
): MetadataDb {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

/**
 * Applies every migration newer than the database's `user_version`, each in its own transaction
 * together with the version bump. Refuses a database written by a newer Berth.
 */
export function migrate(db: MetadataDb, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw systemError(
      `metadata database schema version ${current} is newer than this berthd supports (${latest})`,
    );
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.up);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
