import type { Migration } from './migration.js';
import { initial } from './0001-initial.js';
import { manualStop } from './0002-manual-stop.js';
import { imageLastTagTime } from './0003-image-last-tag-time.js';
import { networks } from './0004-networks.js';
import { volumes } from './0005-volumes.js';
import { buildCache } from './0006-build-cache.js';
import { buildCacheUsage } from './0007-build-cache-usage.js';

/** Every migration in order. Append only: a released migration is never edited. */
export const migrations: readonly Migration[] = [
  initial,
  manualStop,
  imageLastTagTime,
  networks,
  volumes,
  buildCache,
  buildCacheUsage,
];
export type { Migration };
