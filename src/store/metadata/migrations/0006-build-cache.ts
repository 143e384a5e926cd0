import type { Migration } from './migration.js';

/**
 * The classic builder's cache: an image remembers the image it was built on (Docker's `Parent`,
 * which also hides intermediate images from `docker images`), and each build step's result is
 * found again by (parent image, cache key). Entries go with their result image.
 */
export const buildCache: Migration = {
  version: 6,
  name: 'build-cache',
  up: `
    ALTER TABLE images ADD COLUMN parent_id TEXT;
    CREATE INDEX images_parent ON images(parent_id);
    CREATE TABLE build_cache (
      parent_id  TEXT NOT NULL,                    -- image id the step ran on, or 'scratch'
      cache_key  TEXT NOT NULL,                    -- the step, its build args and content sums
      image_id   TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      PRIMARY KEY (parent_id, cache_key)
    ) STRICT;
    CREATE INDEX build_cache_image ON build_cache(image_id);
  `,
};
