import { invalidParameter, notFound } from '../errors/index.js';
import type { IndexEntry, Platform } from './manifest.js';

/** The platform this daemon runs, as OCI names it (linux/amd64 on x86-64). */
export function hostPlatform(): Platform {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch;
  return arch === 'arm64'
    ? { os: 'linux', architecture: 'arm64', variant: 'v8' }
    : { os: 'linux', architecture: arch };
}

/** Parses the API's `platform` parameter: `os/arch[/variant]` (e.g. `linux/arm64/v8`). */
export function parsePlatform(s: string): Platform {
  const parts = s.trim().toLowerCase().split('/');
  const ok = /^[a-z0-9_.-]+$/;
  if (parts.length < 2 || parts.length > 3 || !parts.every((p) => ok.test(p)))
    throw invalidParameter(`invalid platform ${JSON.stringify(s)}: want os/arch[/variant]`);
  const [os, architecture, variant] = parts as [string, string, string?];
  const arch =
    architecture === 'x86_64' ? 'amd64' : architecture === 'aarch64' ? 'arm64' : architecture;
  return variant !== undefined ? { os, architecture: arch, variant } : { os, architecture: arch };
}

/** `linux/arm64/v8`. */
export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant !== undefined ? `/${p.variant}` : ''}`;
}

/** arm64's only variant is v8, so an absent variant and v8 are the same platform. */
function variantOf(p: Platform): string | undefined {
  return p.architecture === 'arm64' && p.variant === undefined ? 'v8' : p.variant;
}

/**
 * Picks the entry of a manifest list for `want`: os and architecture must match; a wanted
 * variant must match exactly, otherwise an entry without a variant is preferred to one with.
 * NotFound with Docker's message when nothing matches.
 */
export function choosePlatform(entries: IndexEntry[], want: Platform): IndexEntry {
  const candidates = entries.filter(
    (e) => e.platform && e.platform.os === want.os && e.platform.architecture === want.architecture,
  );
  const wanted = variantOf(want);
  const exact = candidates.find((e) => e.platform && variantOf(e.platform) === wanted);
  const chosen = exact ?? (want.variant === undefined ? candidates[0] : undefined);
  if (!chosen)
    throw notFound(`no matching manifest for ${formatPlatform(want)} in the manifest list entries`);
  return chosen;
}
