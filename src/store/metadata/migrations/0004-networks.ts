import type { Migration } from './migration.js';

/**
 * Networks and the containers attached to them. `network_endpoints` holds a container's
 * membership of a network (created with the container or by `network connect`) and, while the
 * container runs, its IPv4 lease: UNIQUE (network_id, address) makes a double hand-out impossible
 * (NULL addresses, i.e. not running, never collide). `sandboxes` records the network namespace of
 * a running container and the host ports it was given, so teardown and inspect survive a restart.
 */
export const networks: Migration = {
  version: 4,
  name: 'networks',
  up: `
CREATE TABLE networks (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  driver     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  config     TEXT NOT NULL
);
CREATE TABLE network_endpoints (
  network_id   TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
  container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  config       TEXT NOT NULL,
  address      TEXT,
  endpoint_id  TEXT,
  mac          TEXT,
  if_name      TEXT,
  PRIMARY KEY (network_id, container_id),
  UNIQUE (network_id, address)
);
CREATE INDEX network_endpoints_container ON network_endpoints(container_id);
CREATE TABLE sandboxes (
  container_id TEXT PRIMARY KEY REFERENCES containers(id) ON DELETE CASCADE,
  path         TEXT NOT NULL,
  ports        TEXT NOT NULL
);
`,
};
