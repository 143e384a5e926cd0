import type { Migration } from './migration.js';

/**
 * The build cache records its use: a cache hit stamps `last_used_at` and counts itself in
 * `usage_count` (the build that created the entry counts as the first use), so GET /system/df
 * reports LastUsedAt/UsageCount and `docker builder prune --filter until=…` / `--keep-storage`
 * can go by last use, as BuildKit does.
 */
export const buildCacheUsage: Migration = {
  version: 7,
  name: 'build-cache-usage',
  up: `
    ALTER TABLE build_cache ADD COLUMN last_used_at TEXT;          -- NULL: no hit since creation
    ALTER TABLE build_cache ADD COLUMN usage_count INTEGER NOT NULL DEFAULT 1;
  `,
};
