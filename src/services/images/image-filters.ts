import { parseDockerTime } from '../../lib/go-duration.js';
import { invalidParameter } from '../../errors/index.js';

/**
 * Pure helpers for Docker's image filters (GET /images/json, POST /images/prune): Go's
 * `path.Match` glob for `reference`, `label` key[=value] matching, boolean filter values and the
 * `until` timestamp forms.
 */

/** Throws Docker's `invalid filter 'k'` unless every key of `filters` is in `accepted`. */
export function assertFilterKeys(filters: Record<string, string[]>, accepted: string[]): void {
  for (const key of Object.keys(filters)) {
    if (!accepted.includes(key)) throw invalidParameter(`invalid filter '${key}'`);
  }
}

/**
 * A boolean filter (`dangling`): absent → `dflt`; `true`/`1` or `false`/`0` (any case) otherwise
 * Docker's `invalid filter 'dangling=x'`. Conflicting values are refused the same way.
 */
export function boolFilter(filters: Record<string, string[]>, key: string, dflt: boolean): boolean {
  const values = filters[key];
  if (values === undefined || values.length === 0) return dflt;
  const parsed = new Set(
    values.map((v) => {
      const l = v.toLowerCase();
      if (l === 'true' || l === '1') return true;
      if (l === 'false' || l === '0') return false;
      throw invalidParameter(`invalid filter '${key}=${v}'`);
    }),
  );
  if (parsed.size > 1) throw invalidParameter(`invalid filter '${key}=${values.join(',')}'`);
  return parsed.has(true);
}

/**
 * Compiles a Go `path.Match` pattern: `*` is any run of non-`/` characters, `?` one non-`/`
 * character, `[...]` a class (`^` negates, `a-z` ranges), `\` escapes. A malformed pattern is
 * InvalidParameter (Go's ErrBadPattern).
 */
export function globToRegExp(pattern: string): RegExp {
  const bad = () => invalidParameter(`invalid reference filter pattern: ${pattern}`);
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      const next = pattern[++i];
      if (next === undefined) throw bad();
      out += escapeRe(next);
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) throw bad();
      let body = pattern.slice(i + 1, end);
      let negate = false;
      if (body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      if (body === '') throw bad();
      const cls = body.replace(/[\\\]^]/g, (m) => `\\${m}`);
      out += negate ? `[^/${cls}]` : `[${cls}]`;
      i = end;
    } else out += escapeRe(c);
  }
  try {
    return new RegExp(`^${out}$`);
  } catch {
    throw bad();
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** True when `labels` has key `spec` or, for `k=v`, has key k with value v (Docker's MatchKVList). */
export function labelMatches(labels: Record<string, string>, spec: string): boolean {
  const eq = spec.indexOf('=');
  if (eq < 0) return Object.hasOwn(labels, spec);
  return labels[spec.slice(0, eq)] === spec.slice(eq + 1);
}

/**
 * Docker's `until` value as epoch milliseconds: unix seconds (with an optional fraction), a Go
 * duration ago (`10m`, `1h30m`, `1.5h`), or an RFC 3339 / date string.
 */
export function untilCutoff(v: string, nowMs: number): number {
  const t = parseDockerTime(v, nowMs);
  if (t === undefined) throw invalidParameter(`invalid filter 'until=${v}'`);
  return t;
}
