import { anonymousLabel } from '../../volumes/types.js';
import type { ResolvedMount, VolumeAccess } from './types.js';

/**
 * Creates the volumes a new container's mounts name (missing named ones, and its anonymous
 * ones) and records the container's references to them. The container row must already exist.
 * Returns the volumes this call created, so a failed create can remove its anonymous ones.
 */
export async function prepareVolumes(
  volumes: VolumeAccess,
  containerId: string,
  mounts: readonly ResolvedMount[],
): Promise<string[]> {
  const created: string[] = [];
  const names: string[] = [];
  for (const m of mounts) {
    if (m.type !== 'volume') continue;
    const labels = {
      ...(m.create?.labels ?? {}),
      ...(m.anonymous ? { [anonymousLabel]: '' } : {}),
    };
    const r = await volumes.ensure({
      name: m.source,
      ...(m.driver ? { driver: m.driver } : {}),
      ...(m.create?.driverOpts ? { driverOpts: m.create.driverOpts } : {}),
      labels,
    });
    if (r.created) created.push(m.source);
    names.push(m.source);
  }
  volumes.addRefs(containerId, names);
  return created;
}

/** The anonymous volumes a container owns (removed with it by `rm -v` and `--rm`). */
export const anonymousVolumes = (mounts: readonly ResolvedMount[] | undefined): string[] =>
  (mounts ?? []).filter((m) => m.type === 'volume' && m.anonymous).map((m) => m.source);
