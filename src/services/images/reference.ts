import { invalidParameter } from '../../errors/index.js';
import { isDigest, type Digest } from '../../lib/digest.js';

/**
 * A parsed, normalised image reference: `docker.io/library/busybox:latest` is
 * `{domain: 'docker.io', path: 'library/busybox', tag: 'latest'}`.
 */
export interface Reference {
  /** Registry host, with port if any (`docker.io`, `localhost:5000`, `[::1]:5000`). */
  domain: string;
  /** Repository path inside the registry (`library/busybox`). */
  path: string;
  tag?: string;
  digest?: Digest;
}

export const DEFAULT_DOMAIN = 'docker.io';
export const DEFAULT_TAG = 'latest';
const NAME_MAX = 255;

// The grammar of Docker's reference package, written out here.
const alnum = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alnum}(?:${separator}${alnum})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const host = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])`;
const domainRe = new RegExp(`^${host}(?::[0-9]+)?$`);
const pathRe = new RegExp(`^${pathComponent}(?:/${pathComponent})*$`);
const tagRe = /^[\w][\w.-]{0,127}$/;
const anyDigestRe = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const hex64Re = /^[a-f0-9]{64}$/;

const invalidFormat = () => invalidParameter('invalid reference format');

/**
 * Parses a reference as the Docker CLI and API accept it, normalising familiar names
 * (`busybox` → docker.io/library/busybox, `index.docker.io/x` → docker.io/library/x). Tag and
 * digest are kept as given; no default tag is added (see {@link normalize}). Throws
 * InvalidParameter with Docker's messages.
 */
export function parseReference(s: string): Reference {
  if (s === '') throw invalidFormat();
  if (hex64Re.test(s))
    throw invalidParameter(
      `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`,
    );
  let rest = s;
  let digest: Digest | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    const d = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!anyDigestRe.test(d)) throw invalidFormat();
    if (!isDigest(d)) throw invalidParameter(`unsupported digest algorithm or format: ${d}`);
    digest = d;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagRe.test(tag)) throw invalidFormat();
  }
  const [domain, remainder] = splitDomain(rest);
  let path = remainder;
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = `library/${path}`;
  if (path.toLowerCase() !== path)
    throw invalidParameter(`invalid reference format: repository name (${path}) must be lowercase`);
  if (!domainRe.test(domain) || !pathRe.test(path)) throw invalidFormat();
  if (domain.length + 1 + path.length > NAME_MAX)
    throw invalidParameter(
      `invalid reference format: repository name must not be more than ${NAME_MAX} characters`,
    );
  const ref: Reference = { domain, path };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/**
 * The first component is a registry host when it has a `.` or `:`, is `localhost`, or has an
 * uppercase letter (hosts may; repository names may not). Otherwise the domain is docker.io.
 */
function splitDomain(name: string): [string, string] {
  const slash = name.indexOf('/');
  const first = name.slice(0, slash);
  if (
    slash === -1 ||
    (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)
  )
    return [DEFAULT_DOMAIN, name];
  const domain = first === 'index.docker.io' ? DEFAULT_DOMAIN : first;
  return [domain, name.slice(slash + 1)];
}

/** Adds the `latest` tag when the reference has neither tag nor digest. */
export function withDefaultTag(ref: Reference): Reference {
  return ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: DEFAULT_TAG } : ref;
}

/** The full repository name: `docker.io/library/busybox`. */
export function fullName(ref: Reference): string {
  return `${ref.domain}/${ref.path}`;
}

/** The canonical string: `docker.io/library/busybox:1[@sha256:…]`. */
export function formatReference(ref: Reference): string {
  return (
    fullName(ref) +
    (ref.tag !== undefined ? `:${ref.tag}` : '') +
    (ref.digest !== undefined ? `@${ref.digest}` : '')
  );
}

/** Parses and returns the canonical string with the default tag: `busybox` → `docker.io/library/busybox:latest`. */
export function normalize(s: string): string {
  return formatReference(withDefaultTag(parseReference(s)));
}

/** The repository name as Docker prints it: `busybox`, `user/app`, `localhost:5000/x`. */
export function familiarName(ref: Reference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return fullName(ref);
  const short = ref.path.startsWith('library/') ? ref.path.slice('library/'.length) : ref.path;
  return short.includes('/') ? ref.path : short;
}

/** The reference as Docker prints it: `busybox:latest`, `localhost:5000/x:1`, `x@sha256:…`. Accepts a string too. */
export function familiarString(ref: Reference | string): string {
  const r = typeof ref === 'string' ? parseReference(ref) : ref;
  return (
    familiarName(r) +
    (r.tag !== undefined ? `:${r.tag}` : '') +
    (r.digest !== undefined ? `@${r.digest}` : '')
  );
}
