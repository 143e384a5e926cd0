import { invalidParameter } from '../../errors/index.js';
import type { SpecOpt } from '../spec-opt.js';
import { requireAbsolutePath, requireNoNul } from '../validate.js';

/** Sets the root filesystem (an absolute path, as runc accepts); `readonly` mounts it ro. */
export function withRoot(path: string, readonly: boolean): SpecOpt {
  requireAbsolutePath('root path', path);
  return (spec) => {
    spec.root = readonly ? { path, readonly: true } : { path };
  };
}

// RFC 1123 labels, as Docker validates --hostname; at most 64 bytes (HOST_NAME_MAX).
const HOSTNAME =
  /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** Sets the UTS hostname; only meaningful with a new UTS namespace. */
export function withHostname(hostname: string): SpecOpt {
  if (hostname.length > 64 || !HOSTNAME.test(hostname)) {
    throw invalidParameter(`invalid hostname: "${hostname}"`);
  }
  return (spec) => {
    spec.hostname = hostname;
  };
}

/**
 * Sets the UTS domain name (`--domainname`); none when empty. Same rules as a hostname. runc 1.1
 * ignores the spec's `domainname` field, so it is also set as the namespaced sysctl
 * `kernel.domainname`, which runc allows with a private UTS namespace.
 */
export function withDomainname(domainname: string): SpecOpt {
  if (domainname !== '' && (domainname.length > 64 || !HOSTNAME.test(domainname))) {
    throw invalidParameter(`invalid domainname: "${domainname}"`);
  }
  return (spec) => {
    if (domainname === '') return;
    spec.domainname = domainname;
    spec.linux = {
      ...spec.linux,
      sysctl: { ...spec.linux?.sysctl, 'kernel.domainname': domainname },
    };
  };
}

/** Merges annotations into the spec (later values win). */
export function withAnnotations(annotations: Readonly<Record<string, string>>): SpecOpt {
  for (const [k, v] of Object.entries(annotations)) {
    if (k === '') throw invalidParameter('annotation keys must not be empty');
    requireNoNul('annotation', k);
    requireNoNul('annotation', v);
  }
  return (spec) => {
    if (Object.keys(annotations).length === 0) return;
    spec.annotations = { ...spec.annotations, ...annotations };
  };
}
