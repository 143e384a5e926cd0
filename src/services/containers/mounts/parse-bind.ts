import { checkVolumeName } from '../../volumes/names.js';
import { notAbsolute, volumeSpecError } from './errors.js';
import { checkNoNul, checkNotRoot, cleanAbsolute } from './paths.js';
import type { ResolvedMount } from './types.js';

export const propagations = new Set([
  'private',
  'rprivate',
  'shared',
  'rshared',
  'slave',
  'rslave',
]);
const consistency = new Set(['consistent', 'cached', 'delegated']);

/** Checks a `-v` mode list (`ro,z`, `rw,rshared`, `nocopy`...) the way Docker's Linux parser does. */
function parseMode(spec: string, mode: string, type: 'bind' | 'volume') {
  let rw: boolean | undefined;
  let propagation = '';
  let noCopy = false;
  const bad = () => volumeSpecError(spec, `invalid mode: ${mode}`);
  for (const opt of mode === '' ? [] : mode.split(',')) {
    if (opt === 'rw' || opt === 'ro') {
      if (rw !== undefined) throw bad();
      rw = opt === 'rw';
    } else if (propagations.has(opt)) {
      if (propagation !== '' || type !== 'bind') throw bad();
      propagation = opt;
    } else if (opt === 'nocopy') {
      if (noCopy || type !== 'volume') throw bad();
      noCopy = true;
    } else if (opt !== 'z' && opt !== 'Z' && !consistency.has(opt)) {
      throw bad();
    }
  }
  return { rw: rw ?? true, propagation, noCopy };
}

/**
 * Parses one HostConfig.Binds entry: `/host:/dst[:mode]` (bind), `name:/dst[:mode]` (named
 * volume) or `/dst` (anonymous volume). The source of a bind is the host path as given (cleaned);
 * whether it exists is decided at start (`-v` creates a missing dir).
 */
export function parseBind(spec: string): ResolvedMount {
  checkNoNul('volume specification', spec);
  const parts = spec.split(':');
  if (spec === '' || parts.length > 3 || parts.some((p) => p === '')) throw volumeSpecError(spec);
  const [src, dst, mode] = parts.length === 1 ? ['', parts[0] ?? '', ''] : parts;
  const source = src ?? '';
  const type = source.startsWith('/') ? 'bind' : 'volume';
  const destination = cleanAbsolute(dst ?? '');
  if (destination === undefined) {
    throw volumeSpecError(
      spec,
      `invalid mount config for type "${type}": ${notAbsolute(dst ?? '')}`,
    );
  }
  checkNotRoot(destination);
  const m = parseMode(spec, mode ?? '', type);
  const modeText = mode ?? '';
  if (type === 'bind') {
    return {
      type,
      destination,
      source: cleanAbsolute(source) as string,
      rw: m.rw,
      mode: modeText,
      propagation: m.propagation || 'rprivate',
      createSource: true,
    };
  }
  if (source !== '') checkVolumeName(source);
  return {
    type,
    destination,
    source,
    rw: m.rw,
    mode: modeText,
    propagation: '',
    driver: 'local',
    ...(m.noCopy ? { noCopy: true } : {}),
    ...(source === '' ? { anonymous: true } : {}),
  };
}
