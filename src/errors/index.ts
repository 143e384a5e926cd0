/**
 * The closed set of error kinds Berth's domain code throws. The HTTP edge maps each kind to a
 * status in exactly one place (src/server/errors.ts); anything else is a bug and becomes a 500.
 */
export type ErrorKind =
  | 'NotFound'
  | 'InvalidParameter'
  | 'Conflict'
  | 'NotModified'
  | 'Unauthorized'
  | 'Forbidden'
  | 'Unavailable'
  | 'NotImplemented'
  | 'System';

/** A classified engine error. `message` is what a Docker client shows its user. */
export class BerthError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = `${kind}Error`;
  }
}

export const notFound = (message: string): BerthError => new BerthError('NotFound', message);
export const invalidParameter = (message: string): BerthError =>
  new BerthError('InvalidParameter', message);
export const conflict = (message: string): BerthError => new BerthError('Conflict', message);
export const notModified = (message = ''): BerthError => new BerthError('NotModified', message);
export const unauthorized = (message: string): BerthError =>
  new BerthError('Unauthorized', message);
export const forbidden = (message: string): BerthError => new BerthError('Forbidden', message);
export const unavailable = (message: string): BerthError => new BerthError('Unavailable', message);
export const notImplemented = (message: string): BerthError =>
  new BerthError('NotImplemented', message);
export const systemError = (message: string, cause?: unknown): BerthError =>
  new BerthError('System', message, cause === undefined ? undefined : { cause });

/** True when `err` is a BerthError of the given kind. */
export function isKind(err: unknown, kind: ErrorKind): err is BerthError {
  return err instanceof BerthError && err.kind === kind;
}
