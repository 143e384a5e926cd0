import type { Migration } from './migration.js';

/**
 * The first schema: images (indexed by config digest) with their references and ordered layers, and
 * containers with their names, configuration and run state. See ../README.md for every column.
 */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  up: `
    CREATE TABLE meta (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE images (
      id              TEXT PRIMARY KEY,            -- config digest, sha256:<hex>
      manifest_digest TEXT,                        -- digest of the manifest blob
      created         TEXT,                        -- the image config's "created"
      size            INTEGER NOT NULL,            -- sum of uncompressed layer sizes
      stored_at       TEXT NOT NULL                -- when this engine registered it
    ) STRICT;

    CREATE TABLE image_layers (
      image_id  TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      idx       INTEGER NOT NULL,                  -- 0 = bottom layer
      digest    TEXT NOT NULL,                     -- blob digest (as stored, possibly compressed)
      diff_id   TEXT NOT NULL,                     -- digest of the uncompressed tar
      chain_id  TEXT NOT NULL,                     -- snapshot key
      size      INTEGER NOT NULL,                  -- blob size
      PRIMARY KEY (image_id, idx)
    ) STRICT;
    CREATE INDEX image_layers_chain ON image_layers(chain_id);

    CREATE TABLE image_refs (
      ref       TEXT PRIMARY KEY,                  -- normalised: docker.io/library/busybox:latest
      image_id  TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE
    ) STRICT;
    CREATE INDEX image_refs_image ON image_refs(image_id);

    CREATE TABLE containers (
      id              TEXT PRIMARY KEY,            -- 64 hex digits
      name            TEXT NOT NULL UNIQUE,        -- without Docker's leading '/'
      image_id        TEXT NOT NULL REFERENCES images(id),
      image_ref       TEXT NOT NULL,               -- the reference as the user gave it
      created_at      TEXT NOT NULL,               -- RFC 3339 with nanoseconds
      config          TEXT NOT NULL,               -- JSON: the container's normalised configuration
      status          TEXT NOT NULL,               -- created|running|paused|exited|dead|removing
      pid             INTEGER NOT NULL DEFAULT 0,
      pid_start_time  TEXT,                        -- /proc/<pid>/stat start time, guards against pid reuse
      conmon_pid      INTEGER NOT NULL DEFAULT 0,
      exit_code       INTEGER NOT NULL DEFAULT 0,
      error           TEXT NOT NULL DEFAULT '',
      oom_killed      INTEGER NOT NULL DEFAULT 0,
      started_at      TEXT,
      finished_at     TEXT,
      restart_count   INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX containers_image ON containers(image_id);
  `,
};
