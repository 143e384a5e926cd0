import { posix } from 'node:path';
import { invalidParameter } from '../errors/index.js';

/** One `.dockerignore` line: a pattern, `!` for an exception that includes again. */
export interface IgnorePattern {
  pattern: string;
  exclusion: boolean;
  regex: RegExp;
}

/**
 * Translates a pattern to a regular expression with Go's filepath.Match rules (`*` and `?` never
 * cross `/`, `[…]` classes, `\` escapes) plus Docker's `**`, which matches any number of
 * directories, none included.
 */
function toRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw invalidParameter(`syntax error in pattern ${JSON.stringify(pattern)}`);
      let cls = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
      if (cls.startsWith('^') || cls.startsWith('!')) cls = `^${cls.slice(1)}`;
      re += `[${cls}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else re += /[.+^${}()|\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${re}$`, 's');
}

/**
 * Parses `.dockerignore` text: `#` comments and blank lines skipped, each pattern trimmed and
 * cleaned (`./a/../b` → `b`), a leading `/` dropped (patterns are relative to the context root).
 */
export function parseDockerignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    let p = rawLine.trim();
    if (p === '' || p.startsWith('#')) continue;
    const exclusion = p.startsWith('!');
    if (exclusion) p = p.slice(1).trim();
    if (p === '') continue;
    p = posix.normalize(p);
    if (p.length > 1 && p.startsWith('/')) p = p.replace(/^\/+/, '');
    if (p.endsWith('/') && p.length > 1) p = p.slice(0, -1);
    out.push({ pattern: p, exclusion, regex: toRegex(p) });
  }
  return out;
}

/** Answers "is this context path ignored?" with Docker's rules: the last matching line wins. */
export class IgnoreMatcher {
  private readonly hasExclusions: boolean;

  constructor(private readonly patterns: readonly IgnorePattern[]) {
    this.hasExclusions = patterns.some((p) => p.exclusion);
  }

  /**
   * Whether `path` (relative, `/`-separated, no leading `./`) is excluded. A pattern that matches a
   * parent directory matches everything under it, so `dir` excludes `dir/a/b`.
   */
  excluded(path: string): boolean {
    const parts = path.split('/');
    let result = false;
    for (const p of this.patterns) {
      if (result === !p.exclusion) continue; // this line cannot change the answer
      let hit = p.regex.test(path);
      for (let n = 1; !hit && n < parts.length; n++)
        hit = p.regex.test(parts.slice(0, n).join('/'));
      if (hit) result = !p.exclusion;
    }
    return result;
  }

  /**
   * Whether a whole excluded directory can be skipped without looking inside: only when no `!`
   * exception could include something under it again.
   */
  canSkipDir(dir: string): boolean {
    if (!this.excluded(dir)) return false;
    if (!this.hasExclusions) return true;
    return !this.patterns.some(
      (p) => p.exclusion && (p.pattern.startsWith(`${dir}/`) || p.pattern.includes('*')),
    );
  }
}
