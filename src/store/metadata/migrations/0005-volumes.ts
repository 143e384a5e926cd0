import type { Migration } from './migration.js';

/**
 * Volumes and which containers use them. A reference row lives exactly as long as its container
 * (cascade), and a volume with references cannot be deleted (RESTRICT): "in use" is a fact of the
 * database, not of memory, so it survives a daemon restart.
 */
export const volumes: Migration = {
  version: 5,
  name: 'volumes',
  up: `
    CREATE TABLE volumes (
      name       TEXT PRIMARY KEY,            -- [a-zA-Z0-9][a-zA-Z0-9_.-]+
      driver     TEXT NOT NULL,               -- 'local'
      created_at TEXT NOT NULL,               -- RFC 3339, seconds
      labels     TEXT NOT NULL DEFAULT '{}',  -- JSON object of strings
      options    TEXT NOT NULL DEFAULT '{}'   -- JSON object: the driver_opts
    );
    CREATE TABLE volume_refs (
      volume_name  TEXT NOT NULL REFERENCES volumes(name) ON DELETE RESTRICT,
      container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
      PRIMARY KEY (volume_name, container_id)
    );
    CREATE INDEX volume_refs_by_container ON volume_refs(container_id);
  `,
};
