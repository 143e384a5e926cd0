import { OCI_VERSION, type SpecOpt } from './spec-opt.js';
import type { Spec } from './types.js';

export { OCI_VERSION, type SpecOpt } from './spec-opt.js';
export { withAnnotations, withDomainname, withHostname, withRoot } from './options/basics.js';
export { withCapabilities, withDefaultCapabilities } from './options/capabilities.js';
export {
  bindMount,
  withDefaultMounts,
  withMounts,
  type BindOptions,
  type DefaultMountsOptions,
} from './options/mounts.js';
export { withNamespaces, type NamespaceMode, type NamespacesInput } from './options/namespaces.js';
export {
  withNoNewPrivileges,
  withProcess,
  withRlimits,
  type ProcessInput,
} from './options/process.js';
export { withCgroupsPath, withResources, type ResourcesInput } from './options/resources.js';
export {
  DEFAULT_DEVICE_RULES,
  DEFAULT_MASKED_PATHS,
  DEFAULT_NET_SYSCTLS,
  DEFAULT_READONLY_PATHS,
  withDefaultSecurity,
  withSeccomp,
  withSysctls,
  type DefaultSecurityOptions,
} from './options/security.js';

/**
 * Applies `opts` in order to an empty spec (`{ociVersion}` only) and returns it. Pure: the
 * result shares no objects with the options' inputs.
 */
export function buildSpec(...opts: SpecOpt[]): Spec {
  const spec: Spec = { ociVersion: OCI_VERSION };
  for (const opt of opts) opt(spec);
  return spec;
}
