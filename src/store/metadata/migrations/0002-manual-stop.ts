import type { Migration } from './migration.js';

/**
 * Remembers that the user stopped a container: restart policies must not bring it back, and
 * `unless-stopped` containers stay down across a daemon restart.
 */
export const manualStop: Migration = {
  version: 2,
  name: 'manual-stop',
  up: `ALTER TABLE containers ADD COLUMN manually_stopped INTEGER NOT NULL DEFAULT 0;`,
};
