import { join } from 'node:path';
import type { DaemonConfig } from './config.js';

/** Every directory the engine uses, derived from the data and exec roots. */
export function enginePaths(cfg: Pick<DaemonConfig, 'dataRoot' | 'execRoot'>) {
  return {
    db: join(cfg.dataRoot, 'berth.db'),
    content: join(cfg.dataRoot, 'content'),
    overlay: join(cfg.dataRoot, 'overlay'),
    containers: join(cfg.dataRoot, 'containers'),
    bundles: join(cfg.execRoot, 'c'),
    exits: join(cfg.execRoot, 'exits'),
    runcRoot: join(cfg.execRoot, 'runc'),
    engineId: join(cfg.dataRoot, 'engine-id'),
  };
}

export type EnginePaths = ReturnType<typeof enginePaths>;
