/** A value a query parameter may take; `undefined` drops the parameter. */
export type QueryValue = string | number | boolean | undefined | Record<string, string[]>;

/**
 * Builds `?a=1&b=...` (or '' when empty). Booleans become `1`/`0` as Docker's clients send them;
 * objects are filter maps, JSON-encoded as the Engine API's `filters` parameter expects.
 */
export function buildQuery(params: Record<string, QueryValue>): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (typeof value === 'boolean') q.set(key, value ? '1' : '0');
    else if (typeof value === 'object') {
      if (Object.keys(value).length > 0) q.set(key, JSON.stringify(value));
    } else q.set(key, String(value));
  }
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

/** Encodes one path segment (a container id or name, an image reference). */
export function segment(s: string): string {
  if (s === '') throw new Error('empty identifier');
  return encodeURIComponent(s);
}

/**
 * Encodes an image reference for a path, keeping `/`, `:` and `@` literal (all legal in a path,
 * and how Docker's own client sends `library/busybox:1` or `x@sha256:...`).
 */
export function imageSegment(ref: string): string {
  if (ref === '') throw new Error('empty image reference');
  return ref
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/%3A/g, ':').replace(/%40/g, '@'))
    .join('/');
}
