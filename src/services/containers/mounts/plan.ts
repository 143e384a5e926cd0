import { existsSync } from 'node:fs';
import { invalidParameter } from '../../../errors/index.js';
import { newId } from '../../../lib/ids.js';
import { notAbsolute, volumeSpecError } from './errors.js';
import { parseBind } from './parse-bind.js';
import { parseMount } from './parse-mount.js';
import { checkNoNul, checkNotRoot, cleanAbsolute } from './paths.js';
import { tmpfsMountOptions, tmpfsReadOnly } from './tmpfs-options.js';
import type { MountsRequest, ResolvedMount } from './types.js';

/** What planning needs from the rest of the service. */
export interface PlanLookups {
  /** The resolved mounts of another container (`--volumes-from`); throws NotFound. */
  mountsOf(idOrName: string): readonly ResolvedMount[];
  /** Whether a host path exists (a `--mount type=bind` source must). */
  exists?(path: string): boolean;
}

const duplicate = (dst: string) => invalidParameter(`Duplicate mount point: ${dst}`);

/** `container[:ro|rw]` → the other container's volume and bind mounts, with the mode applied. */
function fromContainers(specs: readonly string[], lookups: PlanLookups): ResolvedMount[] {
  const out: ResolvedMount[] = [];
  for (const spec of specs) {
    const [name = '', mode = '', ...rest] = spec.split(':');
    if (name === '' || rest.length > 0) throw volumeSpecError(spec);
    if (mode !== '' && mode !== 'ro' && mode !== 'rw')
      throw invalidParameter(`invalid mode: ${mode}`);
    for (const m of lookups.mountsOf(name)) {
      if (m.type === 'tmpfs') continue;
      // Never anonymous here: the volume belongs to the container that created it.
      const { anonymous: _owned, ...rest2 } = m;
      out.push({ ...rest2, rw: mode === '' ? m.rw : mode === 'rw', noCopy: true });
    }
  }
  return out;
}

/**
 * Resolves every mount a create request asks for into one list, with Docker's precedence:
 * `--volumes-from` first, overridden by Binds; Mounts and Tmpfs may not repeat a Binds
 * destination (400 "Duplicate mount point"); image and body Volumes then add an anonymous
 * volume for each destination nothing else mounts. Anonymous volumes get their names here, so
 * the stored configuration is final before any volume exists.
 */
export function planMounts(
  req: MountsRequest,
  imageVolumes: readonly string[],
  lookups: PlanLookups,
): ResolvedMount[] {
  const byDst = new Map<string, ResolvedMount>();
  for (const m of fromContainers(req.volumesFrom ?? [], lookups)) byDst.set(m.destination, m);
  const explicit = new Set<string>();
  const add = (m: ResolvedMount): void => {
    if (explicit.has(m.destination)) throw duplicate(m.destination);
    explicit.add(m.destination);
    byDst.set(m.destination, m);
  };
  for (const b of req.binds ?? []) add(parseBind(b));
  const exists = lookups.exists ?? existsSync;
  for (const m of req.mounts ?? []) add(parseMount(m, exists));
  for (const [dst, opts] of Object.entries(req.tmpfs ?? {})) {
    checkNoNul('tmpfs path', dst);
    const destination = cleanAbsolute(dst);
    if (destination === undefined) throw invalidParameter(notAbsolute(dst));
    checkNotRoot(destination);
    const tmpfsOptions = tmpfsMountOptions(opts);
    const rw = !tmpfsReadOnly(tmpfsOptions);
    add({ type: 'tmpfs', destination, source: '', rw, mode: '', propagation: '', tmpfsOptions });
  }
  for (const v of [...imageVolumes, ...(req.volumes ?? [])]) {
    checkNoNul('volume path', v);
    const destination = cleanAbsolute(v);
    if (destination === undefined) throw invalidParameter(notAbsolute(v));
    checkNotRoot(destination);
    if (byDst.has(destination)) continue;
    byDst.set(destination, {
      type: 'volume',
      destination,
      source: newId(),
      rw: true,
      mode: '',
      propagation: '',
      driver: 'local',
      anonymous: true,
    });
  }
  return [...byDst.values()].map((m) =>
    m.type === 'volume' && m.anonymous && m.source === '' ? { ...m, source: newId() } : m,
  );
}
