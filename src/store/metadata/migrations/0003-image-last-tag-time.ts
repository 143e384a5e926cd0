import type { Migration } from './migration.js';

/**
 * Remembers when an image was last tagged (`docker tag`), shown by `docker image inspect` as
 * Metadata.LastTagTime. NULL means never tagged on this engine (Docker's zero time).
 */
export const imageLastTagTime: Migration = {
  version: 3,
  name: 'image-last-tag-time',
  up: `ALTER TABLE images ADD COLUMN last_tag_time TEXT;`,
};
