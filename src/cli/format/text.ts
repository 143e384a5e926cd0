/** Small text helpers for table cells. */

/**
 * Shortens `s` to at most `max` code points, the last being "…", as Docker's Ellipsis does.
 * Strings that fit are returned unchanged.
 */
export function ellipsis(s: string, max: number): string {
  if (max <= 0) return '';
  const chars = [...s];
  if (chars.length <= max) return s;
  if (max === 1) return chars[0] ?? '';
  return chars.slice(0, max - 1).join('') + '…';
}

/** A quoted string as Go's strconv.Quote renders the common cases: `"sh -c \"x\""`. */
export function quote(s: string): string {
  return JSON.stringify(s);
}

/** The 12-hex-digit form of an id, without any `sha256:` prefix. */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}
